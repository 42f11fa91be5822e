"""Website ``pantau`` commands: ``web`` (serve the tracker with uvicorn) and
``site build DIR`` (write it as static files).

Exit codes: 0 done; 1 configuration or database error, or an unusable output
folder (one line on stderr); 2 bad usage.
"""

from __future__ import annotations

import signal
import sys

from crawler.config import ConfigError, Settings


def _port(value: str | None, name: str = "--port") -> int:
    try:
        port = int(str(value))
    except (TypeError, ValueError):
        raise ConfigError(f"{name}={value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"{name}={value!r} is not a port number (0-65535)")
    return port


def make_server(settings: Settings, host: str, port: int):
    """A uvicorn ``Server`` for the tracker (not started)."""
    import uvicorn

    from .app import create_app

    app = create_app(settings.db_path, settings.get("PANTAU_SITE_URL"))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            proxy_headers=True, server_header=False, lifespan="off")
    return uvicorn.Server(config)


def cmd_web(args) -> int:
    settings = Settings()
    host = args.host or settings.get("PANTAU_WEB_HOST") or "127.0.0.1"
    port = _port(args.port if args.port is not None else (settings.get("PANTAU_WEB_PORT") or 8080))
    if not settings.db_path.is_file():
        print(f"warning: {settings.db_path} does not exist yet; pages answer 503 until the first crawl",
              file=sys.stderr)
    server = make_server(settings, host, port)
    print(f"Pantau PHK website on http://{host}:{port}/ (database {settings.db_path}, read-only)", flush=True)
    # uvicorn stops gracefully on SIGINT/SIGTERM and then re-raises the signal to the handlers
    # it found: these ones, so a requested stop ends with exit 0 like the service
    stops: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, frame: stops.append(signum))
    server.run()
    if not server.started and not stops:
        print(f"error: could not serve on {host}:{port} (address in use or not allowed)", file=sys.stderr)
        return 1
    return 0


def cmd_site(args) -> int:
    from .build import BuildError, build_site
    from .queries import NoDatabase

    settings = Settings()
    try:
        report = build_site(settings.db_path, args.dir, settings.get("PANTAU_SITE_URL"))
    except (BuildError, NoDatabase) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def register(sub) -> None:
    p = sub.add_parser("web", help="serve the public tracker website (read-only) with uvicorn")
    p.add_argument("--host", help="address to listen on (default PANTAU_WEB_HOST, 127.0.0.1)")
    p.add_argument("--port", help="port (default PANTAU_WEB_PORT, else 8080)")
    p.set_defaults(func=cmd_web, log_default="INFO")

    p = sub.add_parser("site", help="build the tracker website as static files: site build DIR")
    p.add_argument("action", choices=["build"])
    p.add_argument("dir", metavar="DIR", help="output folder (created; replaced on each build)")
    p.set_defaults(func=cmd_site)
