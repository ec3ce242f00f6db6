"""nbgrader's submit on the class's hub, made private: a submission is readable by its student and the teacher only.

nbgrader's own `submit` leaves a submission readable (and its folder writable) by every user of the machine who
learns its name; the name carries a timestamp and 12 random characters, and the inbound folder cannot be listed,
so the name is the only lock. Here the lock is the file mode. The inbound folder is the teacher's, with the
set-group-ID bit, so what a student creates in it belongs to the teacher's group: the submission is made readable by
that group and nobody else (files 0440, folders 0750; the top folder 0770 so that the teacher may remove it).

One step of nbgrader's copy has to change for that: ``shutil.copytree`` gives each folder it makes the mode of the
student's folder, which drops the set-group-ID bit, and the files nbgrader writes after the copy
(``timestamp.txt``, ``submission_secret.txt``) would then belong to the student's own group, out of the teacher's
reach. ``do_copy`` below makes the folders afresh (they inherit the bit) and copies the files' contents only, with
the same size limit and the same ignore and include patterns as nbgrader's.

The hub names this class in the students' nbgrader settings (classroom/jupyterhub_config.py writes them):
``c.ExchangeFactory.submit = "rnn_build.hub_exchange.PrivateSubmit"``.
"""

from __future__ import annotations

import os
import shutil

from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import ignore_patterns

FILE_MODE = 0o440
FOLDER_MODE = 0o750
SUBMISSION_MODE = 0o770


class PrivateSubmit(ExchangeSubmit):
    def do_copy(self, src, dest, log=None):
        size = self.get_size(src)
        if size > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big. Size is {size}, maximum size is {1000 * self.coursedir.max_dir_size}")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)
        for folder, folders, files in os.walk(src):
            ignored = set(ignore(folder, folders + files))
            folders[:] = [name for name in folders if name not in ignored]
            target = os.path.join(dest, os.path.relpath(folder, src))
            os.makedirs(target, exist_ok=True)
            for name in files:
                if name not in ignored:
                    shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))

    def copy_files(self):
        super().copy_files()
        submission = os.path.join(self.inbound_path, self.assignment_filename)
        self.set_perms(submission, fileperms=FILE_MODE, dirperms=FOLDER_MODE)
        os.chmod(submission, SUBMISSION_MODE)
