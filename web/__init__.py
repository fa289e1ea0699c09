"""The web console under ``/app/``: what the programme's people read and do in a browser.

A Flask application on the core (``bulletins``, ``evaluation``). It never talks to Slack
itself: the sign-in's calls go through a :class:`web.identity.SignIn` that the Slack
adapter (``bot.console``) passes in when it wires the console.
"""
