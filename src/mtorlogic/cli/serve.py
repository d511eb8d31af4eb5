"""``mtorlogic serve [MODEL]``: the teaching page, served on 127.0.0.1."""
from __future__ import annotations

import click


@click.command()
@click.argument("model_path", metavar="[MODEL]", required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; print the address.")
def serve(model_path: str | None, port: int, no_browser: bool) -> None:
    """Open the teaching page for MODEL (default: the bundled mTOR model) in your browser.

    Toggle inputs, drugs and mutations and watch the network's attractor colours and a
    population time course change; click a node for the reason; work through the
    exercises. The server listens on 127.0.0.1 only and answers only this machine; it
    needs no network. Stop it with Ctrl-C.
    """
    import threading
    import webbrowser

    from ..web.app import make_server

    server = make_server(model_path, port)
    click.echo(f"mtorlogic: serving {server.application.model.name} at {server.url} "
               "(Ctrl-C stops)", err=True)
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(server.url,)).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
