"""The build wing of rnn-lessons: run the lessons, keep the Chinese edition in step, publish the site.

Nothing here is imported by a lesson: students import ``rnn_helpers``; maintainers, the tests and
``python -m rnn_helpers ...`` use this package. Its modules import strictly downward, bottom to top:

    notebook_files      project folders, the atomic notebook writer, cleaning an executed notebook, its records
    kernel              the project's kernel: name, registration, environment, a quiet headless connection
    provenance          what made the stored outputs: machine facts, the line under a lesson's title
    lessons             the numbered lessons, their fast parameters, their parameters cells' names and defaults
    execute             run one notebook with papermill, in memory
    messages            the gettext catalogue of rnn_helpers' messages in Chinese: extract (Babel), merge, compile, check
    language_cells      what a lesson prints in the reader's language: the Chinese set-up cell, its cells run in Chinese
    translate           the Chinese edition: translation files, staleness, building the notebooks (in memory)
    translation_checks  what a translation must keep of its English, and the glossary
    render              lesson pages (an nbconvert template) and landing pages (a Jinja2 template), in each language
    pipeline            execute -> translate -> render for a series; storing outputs; summaries
    grading             the classroom edition's hidden tests: is a code exercise's answer the package's own function?
    classroom           the classroom edition: an nbgrader course (teacher's and students' editions) from the lessons
    cli                 `python -m rnn_helpers {run,list,outputs,translations,messages,classroom,data,kernel}`

This file imports nothing, so importing one module never loads the others.
"""
