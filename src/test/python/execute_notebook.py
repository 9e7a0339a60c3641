"""Executes one notebook headless in a real Jupyter kernel (nbclient) and writes the executed copy.

Used by io.rnnkit.notebooks.NotebooksTest; run it with Debian's /usr/bin/python3 (python3-nbclient).
The Jupyter directories come from the environment (the test keeps them all under target/).

The Java kernel (rapaio-jupyter-kernel 3.0.1) starts its shell thread before it registers the message handlers; a
request arriving in between kills that thread (NullPointerException at Channels.getHandler) and the kernel never
answers. jupyter_client asks as soon as it connects, so about one start in four hangs. Here the first request
waits until the kernel's log shows its five channels bound, plus --grace seconds. That leaves about one start
in ten (measured: 3 of 33) that never answers, with no shell thread left in a thread dump; such a kernel is
killed after --hang-after seconds and a new one started, up to --attempts times.

The outcome goes to --result as JSON: {"status": "ok" | "cell-error" | "kernel-start" | "kernel-died",
"cell": 0-based index among all cells, "codeCell": 1-based number among code cells, "source": the cell's source,
"ename", "evalue", "traceback", "starts": kernel starts needed, "seconds"}.
"""
import argparse
import asyncio
import json
import os
import sys
import time
import uuid

import nbformat
from jupyter_core.paths import jupyter_runtime_dir
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
from nbclient.util import ensure_async

BOUND = "]: Binding "   # the kernel logs one such line per channel it binds
CHANNELS = 5            # heartbeat, shell, control, stdin, iopub


class KernelStartFailed(Exception):
    pass


class RetryingClient(NotebookClient):
    """A NotebookClient whose kernel start recognises a kernel that will never answer, and starts another."""

    def __init__(self, nb, kernel_log, attempts, hang_after, grace, **kw):
        super().__init__(nb, **kw)
        self.kernel_log = kernel_log  # an open file the kernel's output goes to
        self.attempts = attempts
        self.hang_after = hang_after
        self.grace = grace
        self.starts = 0

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        # a plain KernelManager writes its connection file to the system's temp folder; keep it in the runtime dir
        runtime = jupyter_runtime_dir()
        os.makedirs(runtime, exist_ok=True)
        km.connection_file = os.path.join(runtime, f"kernel-{uuid.uuid4()}.json")
        return km

    async def async_start_new_kernel_client(self):
        log_start = 0  # where this start's part of the kernel log begins
        while True:
            self.starts += 1
            problem = await self.wait_until_bound(log_start)
            if problem is None:
                # the kernel registers its shell handlers just after binding; a request that arrives before
                # them kills its shell thread (NullPointerException at Channels.getHandler), so give it a moment
                await asyncio.sleep(self.grace)
                self.kc = self.km.client()
                await ensure_async(self.kc.start_channels())
                problem = await self.wait_for_answer()
                if problem is None:
                    self.kc.allow_stdin = False
                    return self.kc
            print(f"kernel start {self.starts} of {self.attempts}: {problem}", file=sys.stderr, flush=True)
            await self._async_cleanup_kernel()
            if self.starts >= self.attempts:
                raise KernelStartFailed(f"{problem}, {self.starts} times in a row (kernel log: {self.kernel_log.name})")
            self.kernel_log.write(f"\n--- rnnkit: {problem}; start {self.starts + 1} ---\n")
            self.kernel_log.flush()
            log_start = os.path.getsize(self.kernel_log.name)
            self.km = self.create_kernel_manager()
            await self.async_start_new_kernel(stdout=self.kernel_log, stderr=self.kernel_log)

    async def wait_until_bound(self, log_start):
        """None once the kernel's log says all five channels are bound, else what went wrong."""
        deadline = time.monotonic() + self.startup_timeout
        while read_from(self.kernel_log.name, log_start).count(BOUND) < CHANNELS:
            if not await ensure_async(self.km.is_alive()):
                return "the kernel process exited while starting"
            if time.monotonic() > deadline:
                return f"the kernel did not bind its channels within {self.startup_timeout:.0f} s"
            await asyncio.sleep(0.2)
        return None

    async def wait_for_answer(self):
        """None once the kernel answers a kernel_info request, else why it is given up."""
        deadline = time.monotonic() + self.hang_after
        while True:
            try:
                await ensure_async(self.kc.wait_for_ready(timeout=1))
                return None
            except RuntimeError as e:
                if "died" in str(e):
                    return "the kernel process exited before answering"
            if time.monotonic() > deadline:
                return f"the kernel bound its channels but answered nothing for {self.hang_after:.0f} s"


def coalesce_streams(nb):
    """The kernel sends every print as its own stream message; one output per run of stdout (or stderr) reads better."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and merged and merged[-1].output_type == "stream" and merged[-1].name == out.name:
                merged[-1].text += out.text
            else:
                merged.append(out)
        if "outputs" in cell:
            cell.outputs = merged


def read_from(path, offset):
    with open(path, errors="replace") as f:
        f.seek(offset)
        return f.read()


async def execute(args, nb):
    errors = {}
    log = open(args.kernel_log, "a")  # append: the kernel processes write through their own handles
    log.truncate(0)
    client = RetryingClient(
        nb, log, args.attempts, args.hang_after, args.grace,
        kernel_name=args.kernel, timeout=args.cell_timeout, startup_timeout=args.startup_timeout,
        record_timing=False, shutdown_kernel="immediate", resources={"metadata": {"path": args.cwd}},
        on_cell_error=lambda cell, cell_index, execute_reply: errors.update(cell=cell_index))
    result = {"status": "ok"}
    with log:
        try:
            await client.async_execute(stdout=log, stderr=log)
        except CellExecutionError as e:
            index = errors.get("cell", -1)
            cell = nb.cells[index] if index >= 0 else None
            result = {"status": "cell-error", "cell": index,
                      "codeCell": sum(1 for c in nb.cells[:index + 1] if c.cell_type == "code"),
                      "source": cell.source if cell else "", "ename": e.ename, "evalue": e.evalue,
                      "traceback": str(e)}
        except DeadKernelError as e:
            result = {"status": "kernel-died", "evalue": str(e)}
        except KernelStartFailed as e:
            result = {"status": "kernel-start", "evalue": str(e)}
    result["starts"] = client.starts
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebook")
    p.add_argument("--output", required=True, help="where the executed notebook is written")
    p.add_argument("--result", required=True, help="where the JSON outcome is written")
    p.add_argument("--kernel", required=True, help="kernel spec name (found through JUPYTER_PATH)")
    p.add_argument("--cwd", required=True, help="the kernel's working directory (Jupyter uses the notebook's folder)")
    p.add_argument("--kernel-log", required=True)
    p.add_argument("--attempts", type=int, default=4)
    p.add_argument("--hang-after", type=float, default=10, help="seconds a bound kernel may take to answer")
    p.add_argument("--grace", type=float, default=2, help="seconds between binding and the first request")
    p.add_argument("--startup-timeout", type=float, default=180)
    p.add_argument("--cell-timeout", type=float, default=900)
    args = p.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    started = time.monotonic()
    result = asyncio.run(execute(args, nb))
    result["seconds"] = round(time.monotonic() - started, 1)
    coalesce_streams(nb)
    nbformat.write(nb, args.output)
    with open(args.result, "w") as f:
        json.dump(result, f, indent=1)
    sys.exit(0 if result["status"] == "ok" else 1)


if __name__ == "__main__":
    main()
