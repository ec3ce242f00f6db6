"""The class's hub seen from outside: its system users, the hub's process, and one person's session on it.

`make hub-users` creates the class's accounts with ``python -m rnn_build.hub users``; tests/test_hub.py and
benchmarks/classroom.py start a hub of their own on 127.0.0.1 with ``Hub`` and play teacher and students through
``Session`` (the hub's REST API, each person's Jupyter server's REST API, and a kernel over its websocket, as
JupyterLab does). The hub itself is configured in classroom/jupyterhub_config.py; this module only passes it the
settings that file reads from the environment (RNN_HUB_*).

Everything here that changes the machine (users, groups, processes) needs root, as the hub does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import grp
import json
import os
import pwd
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CONFIG = PROJECT / "classroom" / "jupyterhub_config.py"
HUB_VENV = PROJECT / ".venv-hub"
KERNEL_NAME = "rnn-lessons"


# ---------------------------------------------------------------------------------------------------------------------
# System users and groups
# ---------------------------------------------------------------------------------------------------------------------
def ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        subprocess.run(["groupadd", name], check=True)


def create_user(name: str, password: str, groups: tuple[str, ...] = ()) -> None:
    """A system user with a private home (0700: Debian's default, 0755, would let every student read it)."""
    command = ["useradd", "--create-home", "--key", "HOME_MODE=0700", "--shell", "/bin/bash"]
    if groups:
        command += ["--groups", ",".join(groups)]
    subprocess.run([*command, name], check=True)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)


def user_processes(name: str) -> list[int]:
    """The ids of every process running as the user ``name`` (read from /proc: no process is matched by its name)."""
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
    return found


def remove_user(name: str) -> None:
    """End the user's processes, then remove the user and their home. Quiet when the user does not exist."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    for _ in range(50):
        pids = user_processes(name)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
    subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)


def remove_group(name: str) -> None:
    subprocess.run(["groupdel", name], check=False, capture_output=True)


def new_password() -> str:
    """A password a teacher can read out or hand over on paper: 4 groups of 4 lowercase letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: a student types it from paper
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


# ---------------------------------------------------------------------------------------------------------------------
# The hub's process
# ---------------------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class HubError(RuntimeError):
    pass


class Hub:
    """A JupyterHub with classroom/jupyterhub_config.py on 127.0.0.1, its state in ``folder``; a context manager.

    ``stop`` (also on leaving the ``with`` block, whatever happened in it) asks the hub to shut down, which stops
    every person's server and the proxy; whatever is left after that (a server of a hub that died, a kernel a
    server orphaned, the proxy) is ended by process id, and the ports are checked free.
    """

    def __init__(self, folder: Path, *, teacher: str, students_group: str, course: str, memory_limit: str = "3G",
                 environment: dict[str, str] | None = None, venv: Path = HUB_VENV):
        self.folder = Path(folder)
        self.venv = Path(venv)
        self.ports = {"RNN_HUB_PORT": free_port(), "RNN_HUB_HUB_PORT": free_port(), "RNN_HUB_PROXY_API_PORT": free_port()}
        self.url = f"http://127.0.0.1:{self.ports['RNN_HUB_PORT']}"
        self.exchange = self.folder / "exchange"
        self.course = course
        self.environment = {
            **os.environ,
            "RNN_HUB_TEACHER": teacher, "RNN_HUB_STUDENTS": students_group, "RNN_HUB_COURSE": course,
            "RNN_HUB_IP": "127.0.0.1", "RNN_HUB_STATE": str(self.folder / "state"), "RNN_HUB_EXCHANGE": str(self.exchange),
            "RNN_HUB_MEMORY_LIMIT": memory_limit, "RNN_HUB_VENV": str(self.venv),
            **{name: str(port) for name, port in self.ports.items()},
            **(environment or {}),
        }
        self.log_path = self.folder / "hub.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Hub:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def start(self, timeout: float = 120) -> None:
        import requests

        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o755)  # the exchange inside it is reached by every student
        with open(self.log_path, "wb") as log:
            # A session of its own: a Ctrl-C in the terminal that runs the tests reaches the tests, which stop the
            # hub in order, rather than the hub directly.
            # SIGINT as a terminal gives it: a caller started in the background (`cmd &`) ignores it, the hub would
            # inherit that, and the services it starts would then take 30 s each to stop.
            self.process = subprocess.Popen([str(self.venv / "bin" / "jupyterhub"), "-f", str(CONFIG)], cwd=self.folder,
                                            env=self.environment, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True,
                                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise HubError(f"the hub exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise HubError(f"the hub did not answer within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.3)

    def cgroup_folder(self) -> Path | None:
        """Where classroom/jupyterhub_config.py makes each person's memory cgroup: a folder named by the hub's port in
        the hub's own cgroup (this process's: the hub is its child)."""
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                return Path("/sys/fs/cgroup/memory") / path.lstrip("/") / f"rnn-lessons-hub-{self.ports['RNN_HUB_PORT']}"
        return None

    def memory_cgroups(self) -> list[Path]:
        """The memory cgroup of each person whose server is running (or was left behind)."""
        folder = self.cgroup_folder()
        return sorted(p for p in folder.iterdir() if p.is_dir()) if folder and folder.is_dir() else []

    def stop(self, timeout: float = 60) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # JupyterHub's orderly shutdown: servers, services, proxy
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._end_leftovers()

    def _end_leftovers(self) -> None:
        proxy_pid = self.folder / "state" / "proxy.pid"
        if proxy_pid.exists():
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(proxy_pid.read_text().strip()), signal.SIGKILL)
        for cgroup in self.memory_cgroups():
            for pid in (cgroup / "cgroup.procs").read_text().split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
        for cgroup in [*self.memory_cgroups(), self.cgroup_folder()]:  # people's, then the hub's
            if cgroup is None:
                continue
            for _ in range(50):
                try:
                    cgroup.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)

    def ports_in_use(self) -> list[int]:
        return [port for port in self.ports.values() if port_in_use(port)]


# ---------------------------------------------------------------------------------------------------------------------
# One person on the hub
# ---------------------------------------------------------------------------------------------------------------------
class LoginRefused(Exception):
    pass


class KernelDied(HubError):
    pass


@dataclass
class NotebookRun:
    notebook: object
    seconds: float
    errors: list[str]  # "Name: value" of each cell that raised
    peak_bytes: int | None = None  # the kernel's peak resident memory, when measured


class Session:
    """A person logged in to the hub with their password, as the log-in form does, holding an API token of theirs.

    ``hub(method, path)`` calls the hub's REST API, ``server(method, path)`` their own Jupyter server's (both with
    the token, so with exactly this person's rights); ``run_notebook`` executes a notebook in their server's kernel.
    """

    def __init__(self, hub_url: str, name: str, password: str):
        import requests

        self.hub_url, self.name = hub_url, name
        self.cookies = requests.Session()
        self.cookies.get(f"{hub_url}/hub/login", timeout=30)
        answer = self.cookies.post(f"{hub_url}/hub/login", allow_redirects=False, timeout=60,
                                   data={"username": name, "password": password, "_xsrf": self.cookies.cookies.get("_xsrf")})
        if answer.status_code != 302:
            raise LoginRefused(f"{name}: {answer.status_code}")
        answer = self.cookies.post(f"{hub_url}/hub/api/users/{name}/tokens", json={"note": "rnn_build.hub", "expires_in": 7200},
                                   headers={"X-XSRFToken": self.cookies.cookies.get("_xsrf")}, timeout=30)
        answer.raise_for_status()
        self.token = answer.json()["token"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"

    @property
    def server_url(self) -> str:
        return f"{self.hub_url}/user/{self.name}"

    def hub(self, method: str, path: str, **kwargs):
        return self.http.request(method, f"{self.hub_url}/hub/api{path}", timeout=kwargs.pop("timeout", 60), **kwargs)

    def server(self, method: str, path: str, **kwargs):
        return self.http.request(method, f"{self.server_url}{path}", timeout=kwargs.pop("timeout", 300), **kwargs)

    def start_server(self, timeout: float = 180) -> None:
        answer = self.hub("POST", f"/users/{self.name}/server")
        if answer.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"{self.name}'s server did not start: {answer.status_code} {answer.text[:300]}")
        deadline = time.monotonic() + timeout
        while True:
            model = self.hub("GET", f"/users/{self.name}").json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return
            if not server:  # neither ready nor pending: the spawn failed (the hub's log says why)
                raise HubError(f"{self.name}'s server failed to start")
            if time.monotonic() > deadline:
                raise HubError(f"{self.name}'s server was not ready within {timeout:.0f} s")
            time.sleep(0.5)

    def stop_server(self, timeout: float = 120) -> None:
        """Stop the person's server and wait until the hub says it is gone."""
        self.hub("DELETE", f"/users/{self.name}/server")
        deadline = time.monotonic() + timeout
        while self.hub("GET", f"/users/{self.name}").json().get("servers"):
            if time.monotonic() > deadline:
                raise HubError(f"{self.name}'s server did not stop within {timeout:.0f} s")
            time.sleep(0.3)

    # nbgrader's assignment list, as the JupyterLab extension calls it
    def assignments(self, course: str) -> list[dict]:
        answer = self.server("GET", "/assignments", params={"course_id": course}).json()
        assert answer["success"], answer
        return answer["value"]

    def assignment_action(self, action: str, course: str, assignment: str) -> dict:
        answer = self.server("POST", f"/assignments/{action}", data={"course_id": course, "assignment_id": assignment}).json()
        if not answer.get("success"):
            raise HubError(f"{self.name}: nbgrader {action} of {assignment} failed: {answer}")
        return answer

    def read_notebook(self, path: str):
        import nbformat

        answer = self.server("GET", f"/api/contents/{path}", params={"content": 1})
        answer.raise_for_status()
        return nbformat.from_dict(answer.json()["content"])

    def write_notebook(self, path: str, notebook) -> None:
        self.server("PUT", f"/api/contents/{path}", json={"type": "notebook", "format": "json",
                                                            "content": notebook}).raise_for_status()

    def run_notebook(self, path: str, timeout: float = 900, measure_peak: bool = False) -> NotebookRun:
        """Execute the notebook at ``path`` (relative to the person's home) top to bottom in a new kernel of its own
        (the notebook's kernel, started in its folder, as JupyterLab's *Run All* does), keep going past a failing
        cell as *Run All* does not (a grade needs every cell run), save it with its outputs, shut the kernel down.

        ``measure_peak`` (root, on the hub's machine): also read the kernel's peak resident memory just before it
        is shut down (the person must have no other kernel running).
        """
        notebook = self.read_notebook(path)
        kernel_name = notebook.metadata.get("kernelspec", {}).get("name", KERNEL_NAME)
        answer = self.server("POST", "/api/sessions", json={"path": path, "type": "notebook", "name": Path(path).name,
                                                            "kernel": {"name": kernel_name}})
        answer.raise_for_status()
        session = answer.json()
        started = time.monotonic()
        peak = None
        try:
            asyncio.run(self._execute(session["kernel"]["id"], notebook, timeout))
            seconds = time.monotonic() - started
            if measure_peak:
                peak = max((peak_resident_bytes(pid) for pid in kernel_processes(self.name)), default=None)
        finally:
            self.server("DELETE", f"/api/sessions/{session['id']}")
        self.write_notebook(path, notebook)
        errors = [f"{output.ename}: {output.evalue}" for cell in notebook.cells if cell.cell_type == "code"
                  for output in cell.outputs if output.output_type == "error"]
        return NotebookRun(notebook, seconds, errors, peak)

    async def _execute(self, kernel_id: str, notebook, timeout: float) -> None:
        import nbformat
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = self.server_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        connection = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
        session = uuid.uuid4().hex
        count = 0
        try:
            for cell in notebook.cells:
                if cell.cell_type != "code":
                    continue
                msg_id = uuid.uuid4().hex
                connection.write_message(json.dumps({
                    "header": {"msg_id": msg_id, "username": self.name, "session": session, "msg_type": "execute_request",
                               "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                    "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                    "content": {"code": cell.source, "silent": False, "store_history": True, "user_expressions": {},
                                "allow_stdin": False, "stop_on_error": False}}))
                outputs, idle, replied = [], False, False
                while not (idle and replied):
                    raw = await asyncio.wait_for(connection.read_message(), timeout)
                    if raw is None:
                        raise HubError(f"{self.name}: the kernel's connection closed (the kernel died?)")
                    message = json.loads(raw)
                    kind = message["msg_type"]
                    if kind == "status" and message["content"]["execution_state"] in ("restarting", "dead"):
                        # the server's word that the kernel died (out of memory, or a crash): JupyterLab's
                        # "The kernel appears to have died. It will restart automatically."
                        raise KernelDied(f"{self.name}'s kernel died while running: {cell.source[:200]!r}")
                    if message.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    if message["channel"] == "shell" and kind == "execute_reply":
                        replied = True
                    elif kind == "status":
                        idle = message["content"]["execution_state"] == "idle"
                    elif kind in ("stream", "error", "execute_result", "display_data"):
                        message.setdefault("header", {})["msg_type"] = kind
                        outputs.append(nbformat.v4.output_from_msg(message))
                count += 1
                cell.outputs = outputs
                cell.execution_count = count
        finally:
            connection.close()


def kernel_processes(user: str) -> list[int]:
    """The ids of ``user``'s kernels (their command line runs ipykernel)."""
    found = []
    for pid in user_processes(user):
        with contextlib.suppress(OSError):
            if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


def peak_resident_bytes(pid: int) -> int:
    """The most resident memory the process has ever used (VmHWM, exact: no sampling)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


# ---------------------------------------------------------------------------------------------------------------------
# `make hub-users`
# ---------------------------------------------------------------------------------------------------------------------
def read_class_list(path: Path) -> list[str]:
    """One user name a line; blank lines and # comments are skipped."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return names


def users_command(args) -> int:
    if os.geteuid() != 0:
        print("error: creating system users needs root (sudo make hub-users ...)", file=sys.stderr)
        return 2
    ensure_group(args.group)
    wanted = ([args.teacher] if args.teacher else []) + (read_class_list(args.class_list) if args.class_list else [])
    print(f"{'user':<24}password")
    for name in wanted:
        try:
            pwd.getpwnam(name)
            print(f"{name:<24}(exists: password unchanged)")
            continue
        except KeyError:
            pass
        password = new_password()
        create_user(name, password, groups=() if name == args.teacher else (args.group,))
        print(f"{name:<24}{password}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnn_build.hub", description="The class's accounts on the hub's machine.")
    sub = parser.add_subparsers(dest="command", required=True)
    users = sub.add_parser("users", help="create the teacher and the students as system users; print their passwords")
    users.add_argument("--teacher", help="the teacher's user name (the hub's admin and the course's owner)")
    users.add_argument("--class-list", type=Path, help="a file with one student user name a line")
    users.add_argument("--group", default="rnn-students", help="the students' group (default: %(default)s)")
    args = parser.parse_args(argv)
    return users_command(args)


if __name__ == "__main__":
    sys.exit(main())
