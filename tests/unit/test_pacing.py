"""The pacer keeps posts within Slack's limits, without waiting when it need not."""

from bot.pacing import Pacer


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
    assert waits == [0, 0, 0, 1.0, 1.0]
    assert clock.now == 102.0


def test_the_workspace_limit_spaces_every_post():
    clock = Clock()
    pacer = Pacer(per_channel_interval=1.0, workspace_per_minute=120, clock=clock,
                  sleep=clock.sleep)  # fmt: skip
    for i in range(10):
        pacer.wait(f"U{i}")
    assert clock.now == 100.0 + 9 * 0.5


def test_after_a_429_the_channel_waits_for_retry_after():
    clock = Clock()
    pacer = Pacer(per_channel_interval=1.0, workspace_per_minute=None, clock=clock,
                  sleep=clock.sleep)  # fmt: skip
    pacer.wait("C1")
    pacer.back_off("C1", 5)
    assert pacer.wait("C1") == 5.0
    assert pacer.wait("C2") == 0
