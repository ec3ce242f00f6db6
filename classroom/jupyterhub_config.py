# JupyterHub for a class on one machine: `make hub` starts it (as root) with this file.
#
# Who is who. Every student and the teacher is a system user of this machine with a home of their own
# (`make hub-users` creates them from a class list and prints their passwords). They log in with that
# user name and password (PAM: the machine's own accounts, nothing else to keep). The hub lets in the
# members of the group STUDENTS and the TEACHER, who is the hub's admin and grades with nbgrader's
# formgrader. Each person gets their own JupyterLab, running as themselves: nobody can read another's
# home, and the hub's admin API answers the teacher only.
#
# What a student sees. JupyterLab opens in ~/rnn-lessons, the folder where nbgrader puts what they fetch
# from Nbgrader > Assignment List: the student edition of each lesson the teacher released (no worked
# solutions). It runs on the project's kernel "rnn-lessons (.venv)" and reads MNIST from the project's
# cache, read-only and shared by everyone. They submit from the same list; the teacher collects, grades
# and returns feedback from the formgrader.
#
# What a student can read of this machine: their own home, the lessons released to them, the class's
# environment (.venv-hub) and the MNIST cache. The hub closes the rest of the project folder to them when it
# starts (the worked solutions are in it), and makes every home of the class private.
#
# What one student may use. Each student's server and kernels share MEMORY_LIMIT, enforced by the kernel
# (a memory cgroup per student; on a machine where systemd runs, use SystemdSpawner instead: the guide says
# how): a kernel that goes past it is ended, and JupyterLab says the kernel died and restarts it. Idle
# kernels are shut down after KERNEL_IDLE seconds and idle servers after SERVER_IDLE seconds, which gives
# their memory back.
#
# The settings below can be changed here, or for one run through the environment variables they name.
# The guide (docs/classroom-hub.md) says how to size them from the measured figures.

import grp
import json
import os
import pwd
import signal
import stat
import sys
import time
from pathlib import Path

# ---------------------------------------------------------------------------------------------------------
# Settings for your class
# ---------------------------------------------------------------------------------------------------------
TEACHER = os.environ.get("RNN_HUB_TEACHER", "teacher")  # the system user who owns the course and grades
STUDENTS = os.environ.get("RNN_HUB_STUDENTS", "rnn-students")  # the system group whose members may log in
COURSE = os.environ.get("RNN_HUB_COURSE", "rnn-lessons")  # nbgrader's course_id
IP = os.environ.get("RNN_HUB_IP", "")  # "" = every interface of this machine; 127.0.0.1 = this machine only
PORT = int(os.environ.get("RNN_HUB_PORT", "8000"))  # students open http://this-machine:PORT/
# Per student (server and kernels together), from benchmarks/classroom.py: a lesson 01-03 kernel peaks
# below 1 GB and a training lesson's near 2 GB; the limit leaves room for one of each.
MEMORY_LIMIT = os.environ.get("RNN_HUB_MEMORY_LIMIT", "3G")
KERNEL_IDLE = int(os.environ.get("RNN_HUB_KERNEL_IDLE", "1200"))  # s: an idle kernel is shut down
SERVER_IDLE = int(os.environ.get("RNN_HUB_SERVER_IDLE", "3600"))  # s: an idle JupyterLab is stopped
# Where the hub keeps its database, its cookie secret and the Jupyter settings it hands to each server.
STATE = Path(os.environ.get("RNN_HUB_STATE", "/var/lib/rnn-lessons-hub"))
EXCHANGE = Path(os.environ.get("RNN_HUB_EXCHANGE", "/srv/nbgrader/exchange"))  # nbgrader's exchange
# Ports the hub uses on 127.0.0.1 only, between itself and its proxy.
HUB_PORT = int(os.environ.get("RNN_HUB_HUB_PORT", "8081"))
PROXY_API_PORT = int(os.environ.get("RNN_HUB_PROXY_API_PORT", "8001"))

# ---------------------------------------------------------------------------------------------------------
# The project: the class's environment (.venv-hub, with the kernel and the proxy `make hub-setup` installed), MNIST
# ---------------------------------------------------------------------------------------------------------
PROJECT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("RNN_HUB_VENV", PROJECT / ".venv-hub"))
PROXY = VENV / "share" / "rnn-lessons-hub" / "node_modules" / ".bin" / "configurable-http-proxy"
DATA_DIR = Path(os.environ.get("RNN_LESSONS_DATA_DIR") or PROJECT / "data")
LESSONS_FOLDER = "rnn-lessons"  # in each home: where fetched lessons land and JupyterLab opens
COURSE_FOLDER = "rnn-lessons-course"  # in the teacher's home: the nbgrader course (source/, release/, ...)

c = get_config()  # noqa: F821  (JupyterHub provides it)

c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = HUB_PORT
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "cookie_secret")
c.JupyterHub.log_datefmt = "%H:%M:%S"
# The hub stops every student's server when it stops (Ctrl-C): a class ends with its hub.
c.JupyterHub.cleanup_servers = True

# ---------------------------------------------------------------------------------------------------------
# Log-in: the machine's accounts (PAM). The teacher is the admin; the members of STUDENTS may log in.
# ---------------------------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_users = {TEACHER}
c.PAMAuthenticator.allowed_groups = {STUDENTS}
c.PAMAuthenticator.admin_users = {TEACHER}
# No PAM session: it would open a login session per log-in, which a JupyterLab does not need.
c.PAMAuthenticator.open_sessions = False


# ---------------------------------------------------------------------------------------------------------
# Each person's JupyterLab: the project's environment, their home, a memory limit
# ---------------------------------------------------------------------------------------------------------
def memory_bytes(text):
    """'3G' -> bytes (K, M, G, T as powers of 1024, as JupyterHub reads mem_limit)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = str(text).strip().upper()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def own_memory_cgroup():
    """The folder of this process's memory cgroup (cgroup v1), or None where there is none to write to."""
    root = Path("/sys/fs/cgroup/memory")
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            folder = root / path.lstrip("/")
            if (folder / "memory.limit_in_bytes").exists() and os.access(folder, os.W_OK):
                return folder
    return None


from jupyterhub.spawner import LocalProcessSpawner  # noqa: E402


class ClassroomSpawner(LocalProcessSpawner):
    """LocalProcessSpawner (one process per person, as that system user) with a memory limit the kernel enforces.

    Where this machine has a writable cgroup-v1 memory controller, each person's server starts inside a
    cgroup of its own under the hub's, limited to mem_limit (and to the same with swap): the server and
    every kernel and terminal it starts count together, and when they need more the kernel's OOM killer
    ends the largest process in that group (a kernel; JupyterLab restarts it) without touching anyone
    else. When the server stops, whatever it left in the group (a kernel it orphaned) is ended too.
    """

    cgroup = None

    async def start(self):
        parent = own_memory_cgroup()
        if parent is None:
            self.log.warning("no writable memory cgroup: %s's memory limit is not enforced", self.user.name)
        else:
            self.cgroup = parent / f"rnn-lessons-hub-{PORT}" / self.user.name
            self.cgroup.mkdir(parents=True, exist_ok=True)
            limit = str(memory_bytes(self.mem_limit))
            (self.cgroup / "memory.limit_in_bytes").write_text(limit)
            if (self.cgroup / "memory.memsw.limit_in_bytes").exists():
                (self.cgroup / "memory.memsw.limit_in_bytes").write_text(limit)
        return await super().start()

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        procs = str(self.cgroup / "cgroup.procs") if self.cgroup else None

        def preexec():
            if procs:  # still root here, between fork and exec: the server starts inside its cgroup
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))
            become_user()

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        if self.cgroup is not None and self.cgroup.exists():
            end_cgroup(self.cgroup)

    async def poll(self):
        status = await super().poll()
        if status is not None and self.cgroup is not None and self.cgroup.exists():
            end_cgroup(self.cgroup)  # the server died (or was killed): end what it left behind
        return status


def end_cgroup(folder):
    """Kill every process left in a cgroup, then remove it (a cgroup can only be removed once empty)."""
    for _ in range(50):
        pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    for empty in (folder, folder.parent):  # the hub's own folder goes with its last person's
        try:
            empty.rmdir()
        except OSError:
            break


c.JupyterHub.spawner_class = ClassroomSpawner
c.Spawner.mem_limit = MEMORY_LIMIT
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = f"/lab/tree/{LESSONS_FOLDER}"
c.Spawner.start_timeout = 120  # a loaded machine (a class logging in at once) starts servers slowly
c.Spawner.http_timeout = 90


def role_of(username):
    return "teacher" if username == TEACHER else "student"


def config_dir(role):
    return STATE / "jupyter" / role


def make_home_private(user):
    """Debian's useradd makes homes readable by everyone (0755): a student's work is theirs alone."""
    home = Path(user.pw_dir)
    if home.is_dir() and home.stat().st_uid == user.pw_uid:
        os.chmod(home, stat.S_IMODE(home.stat().st_mode) & ~0o077)


def pre_spawn(spawner):
    """Before a server starts: a private home, the lessons folder, and the settings of the person's role."""
    user = pwd.getpwnam(spawner.user.name)
    home = Path(user.pw_dir)
    make_home_private(user)
    folders = [home / LESSONS_FOLDER] + ([home / COURSE_FOLDER] if role_of(user.pw_name) == "teacher" else [])
    for folder in folders:
        if not folder.exists():
            folder.mkdir(mode=0o700)
            os.chown(folder, user.pw_uid, user.pw_gid)
    spawner.environment.update({
        # Jupyter reads these folders before the person's own ~/.jupyter: nbgrader's course, exchange
        # and role, the kernel, the idle-kernel limit (written below, at hub start).
        "JUPYTER_CONFIG_PATH": str(config_dir(role_of(user.pw_name))),
        # The class's environment first (nbgrader runs `alembic`, a terminal runs `python` and `nbgrader`), and
        # nothing from the PATH of whoever started the hub (root's folders are not the students').
        "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "RNN_LESSONS_DATA_DIR": str(DATA_DIR),  # the shared MNIST cache, read-only
        # The course's own settings (classroom/nbgrader_config.py, in the teacher's course folder) name the course
        # and its exchange from these: the same as the hub's.
        "RNN_LESSONS_COURSE_ID": COURSE,
        "RNN_LESSONS_EXCHANGE": str(EXCHANGE),
        "TF_CPP_MIN_LOG_LEVEL": "3",  # as the project's runner sets it: no TensorFlow C++ logs in a notebook
        "IPYKERNEL_CELL_NAME": "<IPY-INPUT>",
        "TF_ENABLE_ONEDNN_OPTS": "1",  # the lessons' numeric path (rnn_helpers/__init__.py)
    })


c.Spawner.pre_spawn_hook = pre_spawn

# ---------------------------------------------------------------------------------------------------------
# The idle culler: a server nobody used for SERVER_IDLE seconds is stopped (its memory freed)
# ---------------------------------------------------------------------------------------------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={SERVER_IDLE}", "--cull-every=60"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]


# ---------------------------------------------------------------------------------------------------------
# Written when the hub starts: its state folder, the exchange, and the Jupyter settings of each role
# ---------------------------------------------------------------------------------------------------------
NBGRADER_CONFIG = """\
# Written by classroom/jupyterhub_config.py for every {role}'s JupyterLab on this hub: do not edit here.
import os
c = get_config()
c.CourseDirectory.course_id = {course!r}
c.Exchange.root = {exchange!r}
c.Exchange.assignment_dir = os.path.expanduser("~/{lessons}")
"""
TEACHER_NBGRADER_CONFIG = """\
c.CourseDirectory.root = os.path.expanduser("~/{course_folder}")
"""
STUDENT_NBGRADER_CONFIG = """\
# A submission is readable by its student and the teacher only (nbgrader's own is readable by anyone
# who learns its random name): see rnn_build/hub_exchange.py.
c.ExchangeFactory.submit = "rnn_build.hub_exchange.PrivateSubmit"
"""
SERVER_CONFIG = """\
# Written by classroom/jupyterhub_config.py for every {role}'s JupyterLab on this hub: do not edit here.
c = get_config()
c.MappingKernelManager.default_kernel_name = "rnn-lessons"
c.KernelSpecManager.ensure_native_kernel = False  # one kernel to choose: the project's
# An idle kernel (a lesson left open in a tab) is shut down after a while: its memory goes back to the class.
c.MappingKernelManager.cull_idle_timeout = {kernel_idle}
c.MappingKernelManager.cull_interval = 60
c.ServerApp.jpserver_extensions = {extensions!r}
"""
# A student has the assignment list; the teacher also has the formgrader and the assignment editor.
NBGRADER_LAB = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"]


def write_role_settings():
    for role in ("student", "teacher"):
        folder = config_dir(role)
        (folder / "labconfig").mkdir(parents=True, exist_ok=True)
        nbgrader = NBGRADER_CONFIG.format(role=role, course=COURSE, exchange=str(EXCHANGE), lessons=LESSONS_FOLDER)
        nbgrader += (TEACHER_NBGRADER_CONFIG.format(course_folder=COURSE_FOLDER) if role == "teacher"
                     else STUDENT_NBGRADER_CONFIG)
        (folder / "nbgrader_config.py").write_text(nbgrader)
        formgrader = role == "teacher"
        extensions = {"nbgrader.server_extensions.formgrader": formgrader}
        (folder / "jupyter_server_config.py").write_text(
            SERVER_CONFIG.format(role=role, kernel_idle=KERNEL_IDLE, extensions=extensions))
        disabled = {name: not formgrader for name in NBGRADER_LAB}
        (folder / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}, indent=2))


def prepare_exchange():
    """The exchange, so that the teacher alone owns the course in it.

    nbgrader wants the exchange's root writable by everyone (mode 777); the sticky bit keeps anyone from
    removing what is not theirs, and the course's folder is made here, the teacher's, so that no student
    can create it first and read the submissions.
    """
    teacher = pwd.getpwnam(TEACHER)
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    os.chmod(EXCHANGE, 0o1777)
    course = EXCHANGE / COURSE
    if not course.exists():
        course.mkdir(mode=0o755)
        os.chown(course, teacher.pw_uid, teacher.pw_gid)
    if course.stat().st_uid != teacher.pw_uid:
        sys.exit(f"{course} belongs to uid {course.stat().st_uid}, not to the teacher {TEACHER}: "
                 "remove it (it may hold someone else's copy of the course) and start the hub again")


def usable_by_everyone(path):
    """Whether every user of the machine can run ``path``: it, and every folder on the way to it, open to all."""
    path = Path(os.path.realpath(path))
    return all(stat.S_IMODE(p.stat().st_mode) & 0o001 for p in [path, *path.parents])


def check_machine():
    if os.geteuid() != 0:
        sys.exit("the hub runs as root (it starts each person's JupyterLab as that person): sudo make hub")
    if not PROXY.exists():
        sys.exit(f"{PROXY} is missing: run `make hub-setup` first")
    python = VENV / "bin" / "python"
    if not usable_by_everyone(python):
        sys.exit(f"{python} ({os.path.realpath(python)}) cannot be run by the students: build the class's "
                 "environment from a Python outside root's home, e.g. `make hub-setup HUB_PYTHON=/usr/bin/python3`")
    try:
        pwd.getpwnam(TEACHER)
        grp.getgrnam(STUDENTS)
    except KeyError as exc:
        sys.exit(f"no system user or group {exc}: create them with `make hub-users` (see docs/classroom-hub.md)")


def close_project_to_students():
    """A student's server needs two things from the project folder: the class's environment and the MNIST cache.

    Everything else in it is closed to other users (the worked solutions in solutions/, the tests, which hold
    right answers, a course built by `make classroom`, git's history): the folder itself may be passed through
    but not listed, and each other entry loses every permission for others.
    """
    needed = [Path(os.path.realpath(VENV)), Path(os.path.realpath(DATA_DIR))]
    for entry in PROJECT.iterdir():
        if entry.is_symlink() or any(entry == path or entry in path.parents for path in needed):
            continue
        os.chmod(entry, stat.S_IMODE(entry.stat().st_mode) & ~0o007)
    os.chmod(PROJECT, stat.S_IMODE(PROJECT.stat().st_mode) & ~0o006 | 0o001)


def class_members():
    students = set(grp.getgrnam(STUDENTS).gr_mem)
    students.update(user.pw_name for user in pwd.getpwall() if user.pw_gid == grp.getgrnam(STUDENTS).gr_gid)
    return [pwd.getpwnam(TEACHER)] + [pwd.getpwnam(name) for name in sorted(students)]


check_machine()
close_project_to_students()
for member in class_members():  # the teacher's course (with its solutions) and every student's work
    make_home_private(member)
STATE.mkdir(parents=True, exist_ok=True, mode=0o755)
os.chmod(STATE, 0o755)  # every server reads its role's settings in it
DATABASE = STATE / "jupyterhub.sqlite"
DATABASE.touch(mode=0o600)  # the database (tokens, users) is the hub's alone; SQLite fills the empty file
os.chmod(DATABASE, 0o600)
write_role_settings()
prepare_exchange()
