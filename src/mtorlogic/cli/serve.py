"""``mtorlogic serve [MODEL]``: the teaching page, served on 127.0.0.1."""
from __future__ import annotations

from typing import Any

import click

from .options import limit_options, make_limits


@click.command()
@click.argument("model_path", metavar="[MODEL]", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; print the address.")
@limit_options
def serve(model_path: str | None, port: int, no_browser: bool, **limit_values: Any) -> None:
    """Open the teaching page for MODEL (default: the bundled mTOR model) in your browser.

    Toggle inputs, drugs and mutations and watch the network's attractor colours and a
    population time course change; click a node for the reason; work through the
    exercises. The server listens on 127.0.0.1 only and answers only this machine; it
    needs no network. Stop it with Ctrl-C. The limit options bound each search the page
    asks for; past one, the page shows which limit was hit.
    """
    import threading
    import webbrowser

    from ..web.app import make_server

    server = make_server(model_path, port, make_limits(**limit_values))
    click.echo(f"mtorlogic: serving {server.application.model.name} at {server.url} "
               "(Ctrl-C stops)", err=True)
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(server.url,)).start()
    # Requests are answered in other threads; their searches run here, in the main thread,
    # the only one a time budget's timer (and Ctrl-C) can interrupt inside native code.
    listener = threading.Thread(target=server.serve_forever, name="mtorlogic-serve",
                                daemon=True)
    listener.start()
    try:
        server.work_forever()
    finally:
        server.shutdown()
        server.server_close()
