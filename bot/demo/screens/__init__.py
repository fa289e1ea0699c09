"""What Slack would show, as Markdown and HTML: pure functions over recorded stand-in calls.

``mrkdwn`` parses Slack's text markup; ``blocks`` renders Block Kit; ``conversations``
rebuilds channels, threads and Home tabs from the stand-in's calls; ``pages`` makes
whole pages.
"""
