"""The pacer keeps posts within Slack's limits, without waiting when it need not."""

import pytest

from bot.delivery.pacing import SAFETY_MARGIN, Pacer

WIDER = 1 + SAFETY_MARGIN  # the pacer keeps a hair under the limits


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_one_message_a_second_in_a_channel_but_no_wait_across_channels():
    clock = Clock()
    pacer = Pacer(per_channel_interval=1.0, workspace_per_minute=None, clock=clock,
                  sleep=clock.sleep)  # fmt: skip
    waits = [pacer.wait(channel) for channel in ["C1", "C2", "C3", "C1", "C1"]]
    assert waits == pytest.approx([0, 0, 0, WIDER, WIDER])
    assert clock.now == pytest.approx(100.0 + 2 * WIDER)


def test_the_workspace_limit_spaces_every_post():
    clock = Clock()
    pacer = Pacer(per_channel_interval=1.0, workspace_per_minute=120, clock=clock,
                  sleep=clock.sleep)  # fmt: skip
    for i in range(10):
        pacer.wait(f"U{i}")
    assert clock.now == pytest.approx(100.0 + 9 * 0.5 * WIDER)


def test_the_margin_is_a_hair_under_the_limits():
    """Wide enough to absorb the network's jitter, narrow enough to cost little time."""
    assert 0 < SAFETY_MARGIN <= 0.05
    clock = Clock()
    pacer = Pacer(per_channel_interval=1.0, workspace_per_minute=60, clock=clock,
                  sleep=clock.sleep, margin=0)  # fmt: skip
    assert [pacer.wait(f"U{i}") for i in range(3)] == [0, 1.0, 1.0]


def test_after_a_429_the_channel_waits_for_retry_after():
    clock = Clock()
    pacer = Pacer(per_channel_interval=1.0, workspace_per_minute=None, clock=clock,
                  sleep=clock.sleep)  # fmt: skip
    pacer.wait("C1")
    pacer.back_off("C1", 5)
    assert pacer.wait("C1") == pytest.approx(5.0)
    assert pacer.wait("C2") == 0
