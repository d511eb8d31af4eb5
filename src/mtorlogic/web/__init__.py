"""The teaching page (``mtorlogic serve``): a local web app on 127.0.0.1 over the engine.

:mod:`.app` holds the server and its JSON API; ``static/`` the page (HTML, CSS and plain
JavaScript written for it: no framework, no CDN, nothing fetched from elsewhere).
"""
