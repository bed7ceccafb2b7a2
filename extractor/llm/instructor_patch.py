"""One patch of instructor 1.17, for the model client's CPU per request.

instructor 1.17 checks that a response model declares no async validators (which its sync
runtime would not run) five times per request: `create`, the patched `create`,
`prepare_response_model` twice and the retry loop each walk the model's fields and every
attribute of every class in their MROs. For `ChunkResponse` that is about 2 ms of CPU per
request, which caps a batch's throughput at a few hundred requests per second on one
core (the GIL), whatever the concurrency.

`install()` wraps `instructor.v2.validation.async_validators.reject_async_validators` so
that a class that passed the check once is not walked again (a class that fails still
raises every time; a value that is not a class, such as `list[Model]`, is checked as
before). The wrapper replaces the function in its own module (which the call sites that
import it inside a function read at each call) and in `instructor.v2.core.patch` (which
imported the name at load). A class given an async validator after it was checked would
not be caught: the response models here are built once and never changed.

Version-guarded: another instructor version is left as it is (the check may have moved or
changed), and `install()` says so by returning False.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

import instructor

#: The instructor versions whose internals this patch was written against.
PATCHED_VERSIONS = ("1.17.",)

_lock = threading.Lock()
_installed = False


def install() -> bool:
    """Cache instructor's async-validator check per response model class (idempotent).
    Returns whether the patch is in place."""
    global _installed
    with _lock:
        if _installed:
            return True
        if not instructor.__version__.startswith(PATCHED_VERSIONS):
            return False
        from instructor.v2.core import patch as patch_module
        from instructor.v2.validation import async_validators

        original = async_validators.reject_async_validators
        if getattr(patch_module, "reject_async_validators", None) is not original:
            return False  # not the layout this patch knows
        cached = _checked_once(original)
        async_validators.reject_async_validators = cached  # type: ignore[assignment]
        patch_module.reject_async_validators = cached  # type: ignore[assignment]
        _installed = True
        return True


def _checked_once(check: Callable[[Any], None]) -> Callable[[Any], None]:
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type):
            if response_model in passed:
                return
            check(response_model)  # raises for a model with async validators
            passed.add(response_model)
            return
        check(response_model)

    reject_async_validators.__doc__ = check.__doc__
    reject_async_validators.__wrapped__ = check  # type: ignore[attr-defined]
    return reject_async_validators
