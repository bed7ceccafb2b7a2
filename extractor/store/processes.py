"""Whether the process that wrote a run is still there (a run it left `running` was
left by a killed process)."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """Whether process `pid` runs on this host (a zombie, killed but not yet reaped by
    its parent, does not)."""
    if os.path.isdir("/proc/self"):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
                return stat.read().rpartition(")")[2].split()[:1] != ["Z"]
        except FileNotFoundError:
            return False
        except OSError:
            pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
