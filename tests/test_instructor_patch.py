"""The instructor patch (`extractor.llm.instructor_patch`): its async-validator check runs
once per response model class, and still refuses a model that has one."""

from __future__ import annotations

import instructor
import pytest
from instructor.v2.core import patch as patch_module
from instructor.v2.validation import async_validators
from pydantic import BaseModel

from extractor.llm import instructor_patch


class Plain(BaseModel):
    name: str


class WithAsync(BaseModel):
    name: str

    @async_validators.async_field_validator("name")
    async def check_name(self, value: str) -> str:
        return value


@pytest.fixture
def installed() -> None:
    if not instructor_patch.install():
        pytest.skip(f"instructor {instructor.__version__} is not patched")


@pytest.mark.usefixtures("installed")
def test_a_class_that_passed_is_not_walked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    check = async_validators.reject_async_validators
    assert patch_module.reject_async_validators is check  # where the patched create reads it
    walked: list[object] = []
    original = check.__wrapped__  # type: ignore[attr-defined]

    class Fresh(BaseModel):
        name: str

    def counting(model: object) -> None:
        walked.append(model)
        original(model)

    monkeypatch.setattr(instructor_patch, "_installed", False)
    monkeypatch.setattr(async_validators, "reject_async_validators", counting)
    monkeypatch.setattr(patch_module, "reject_async_validators", counting)
    assert instructor_patch.install()
    for _ in range(5):
        async_validators.reject_async_validators(Fresh)
    assert walked == [Fresh]
    async_validators.reject_async_validators(list[Fresh])  # no class: checked each time
    async_validators.reject_async_validators(list[Fresh])
    assert walked == [Fresh, list[Fresh], list[Fresh]]


@pytest.mark.usefixtures("installed")
def test_a_model_with_an_async_validator_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="async validators are not supported"):
            async_validators.reject_async_validators(WithAsync)
    async_validators.reject_async_validators(Plain)


def test_another_instructor_version_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instructor_patch, "_installed", False)
    monkeypatch.setattr(instructor, "__version__", "9.0.0")
    before = async_validators.reject_async_validators
    assert not instructor_patch.install()
    assert async_validators.reject_async_validators is before
