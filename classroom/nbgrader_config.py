# nbgrader's settings for the rnn-lessons course (the teacher's guide: docs/classroom.md).
#
# `make classroom` copies this file into the course folder (build/classroom/nbgrader_config.py), and nbgrader reads
# it there whenever a command runs in that folder: generate_assignment, collect, autograde, generate_feedback, ...
# Edit this file, not the copy (the next build overwrites the copy). It needs the project's package in the
# environment nbgrader runs in: `make classroom-setup` installs nbgrader next to it in .venv.

import os
import sys

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

from rnn_build.classroom import CODE_STUB, LessonStubs
from rnn_build.kernel import kernel_environment

c = get_config()  # noqa: F821  (nbgrader provides get_config when it reads this file)

# nbgrader opens the gradebook with the `alembic` command of its own environment: put that environment's commands
# first, so that `.venv/bin/nbgrader ...` works without activating .venv.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

# --- The course -----------------------------------------------------------------------------------------------------
# nbgrader's name for the course: the exchange, a hub's assignment list and the gradebook use it. A hub that serves
# the course (issue 25) sets the same name for its students; change both together, or set RNN_LESSONS_COURSE_ID.
c.CourseDirectory.course_id = os.environ.get("RNN_LESSONS_COURSE_ID", "rnn-lessons")
# Where `nbgrader release_assignment` puts the student editions and `collect` finds the submissions, on a machine
# whose students log in (a hub). Left to nbgrader (or the hub's own settings) unless RNN_LESSONS_EXCHANGE is set.
# Without a hub the exchange is not used: students' notebooks go into submitted/<student>/<lesson>/ (the guide).
if os.environ.get("RNN_LESSONS_EXCHANGE"):
    c.Exchange.root = os.environ["RNN_LESSONS_EXCHANGE"]

# --- The student edition (nbgrader generate_assignment) -------------------------------------------------------------
# Each exercise cell of the student edition is the self-study lesson's cell, character for character:
# - a code exercise keeps its def line and docstring; the solution region of its body becomes this stub, the body the
#   lessons give their functions (so the function stays valid Python, with or without a docstring);
# - a value exercise keeps `answer = None`: its solution region follows that line and is removed.
# nbgrader's own ClearSolutions has one stub for both, so the course uses LessonStubs, which chooses by where the
# region stands (rnn_build/classroom.py; the build checks that the student's cells are the lesson's).
c.ClearSolutions.code_stub = {"python": CODE_STUB}  # "...  # your code here"
c.GenerateAssignment.preprocessors = [LessonStubs if step is ClearSolutions else step
                                      for step in GenerateAssignment.class_traits()["preprocessors"].default()]

# --- Autograding (nbgrader autograde) -------------------------------------------------------------------------------
# autograde runs each submitted lesson from top to bottom on the lesson's kernel, "rnn-lessons (.venv)", then the
# test cells. A training lesson's cell runs for minutes (lesson 04 takes about 6 minutes on 2 cores): allow 30
# minutes a cell, as the project's runner does, instead of nbgrader's 30 seconds.
c.Execute.timeout = 1800
# nbgrader's own argument for a Python kernel (no history file), and the kernel's log kept to its errors: ipykernel's
# warning about TCP without encryption (the kernel talks only to nbgrader, on this machine) is not for the teacher.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=CRITICAL"]
# The same environment as the project's runner gives a lesson's kernel (TensorFlow's C++ logs off, the first numeric
# path), so that a student's feedback shows the lesson's output and no start-up noise.
kernel_environment()

# Points: 1 for each exercise answered with a value, 2 for each one answered with a function (set by the build in the
# test cells' metadata; docs/classroom.md lists them per lesson).
