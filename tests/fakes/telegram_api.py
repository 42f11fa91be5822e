"""Loopback fake of the Telegram Bot API for tests.

Runs a real HTTP server on 127.0.0.1 (ephemeral port) in a background thread so
python-telegram-bot's real HTTP stack (httpx) can be pointed at it::

    with FakeTelegram() as tg:
        app = Application.builder().token(tg.token).base_url(tg.base_url).build()
        # or: env TELEGRAM_API_URL=tg.url  -> requests go to {url}/bot{token}/{method}
        tg.push_message(42, "/start")
        tg.wait_for_messages(42, 1)

Requests arrive as ``POST|GET /bot{token}/{method}``. Bodies may be JSON,
``application/x-www-form-urlencoded`` (what PTB 22 sends for ordinary calls; every
non-string value is JSON-encoded) or ``multipart/form-data`` (PTB uploads, e.g. sendPhoto).

Like Telegram, ``deleteMessage`` refuses a message older than 48 hours ("message can't be
deleted for everyone"); ``age_message`` makes a stored message that old. ``push_callback``
presses a button as any user id (admins and strangers alike).

Only the stdlib is used; no network access is needed.
"""

from __future__ import annotations

import json
import math
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

__all__ = ["FakeTelegram", "HtmlParseError", "parse_telegram_html", "DEFAULT_TOKEN"]

DEFAULT_TOKEN = "123456789:TEST-fake_token_ABCdef"
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")

TEXT_LIMIT = 4096
DELETE_WINDOW = 48 * 3600  # seconds after which Telegram refuses deleteMessage
CAPTION_LIMIT = 1024

# Parameters whose form-encoded value is always a plain string (PTB sends str values
# verbatim and JSON-dumps everything else).
_STRING_PARAMS = {
    "text", "caption", "parse_mode", "callback_query_id", "url", "inline_message_id",
    "action", "description", "short_description", "name", "title", "language_code",
    "query", "secret_token", "ip_address", "emoji", "business_connection_id",
    "message_effect_id", "custom_title", "invite_link", "sticker", "file_id",
}
_FILE_PARAMS = {"photo", "document", "audio", "video", "animation", "voice", "video_note",
                "sticker", "thumbnail"}

_WS = " \t\r\n\0\v"


def _utf16len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parsing


class HtmlParseError(ValueError):
    """Raised for HTML Telegram would reject; str(exc) is the part after
    "Bad Request: can't parse entities: "."""


_ALLOWED_TAGS = {
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
    "tg-emoji", "span", "pre", "code", "blockquote",
}
_TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
    "pre": "pre", "a": "text_link", "tg-emoji": "custom_emoji", "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Mirror of tdlib's decode_html_entity: &lt; &gt; &amp; &quot; &#N; &#xH; (';' optional)."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        res = 0
        if end < n and text[end] == "x":
            end += 1
            start = end
            while end < n and text[end] in "0123456789abcdefABCDEF":
                res = res * 16 + int(text[end], 16)
                end += 1
                if res >= 0x10FFFF:
                    return None
        else:
            start = end
            while end < n and text[end].isdigit() and text[end].isascii():
                res = res * 10 + int(text[end])
                end += 1
                if res >= 0x10FFFF:
                    return None
        if end == start or res == 0 or 0xD800 <= res <= 0xDFFF:
            return None
        value = chr(res)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1:end]
        if name not in _NAMED_ENTITIES:
            return None
        value = _NAMED_ENTITIES[name]
    if end < n and text[end] == ";":
        end += 1
    return value, end


def parse_telegram_html(text: str, strict: bool = True) -> tuple[str, list[dict]]:
    """Parse Telegram-flavoured HTML like the Bot API does.

    Returns (plain_text, entities) with UTF-16 offsets. Raises HtmlParseError with
    Telegram's wording. ``strict=True`` additionally rejects a bare ``&`` (not starting a
    supported entity) and a bare ``>`` which real Telegram silently accepts as text.
    """
    n = len(text)
    out: list[str] = []
    u16 = 0
    stack: list[dict] = []
    entities: list[dict] = []

    def ch(k: int) -> str:
        return text[k] if k < n else "\0"

    def boff(k: int) -> int:
        return len(text[:k].encode("utf-8"))

    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            dec = _decode_entity(text, i)
            if dec is not None:
                val, i = dec
                out.append(val)
                u16 += _utf16len(val)
                continue
            if strict:
                raise HtmlParseError(
                    f'Unescaped "&" at byte offset {boff(i)}: only &lt; &gt; &amp; &quot; '
                    "and numeric character references are supported"
                )
        if c == ">" and strict:
            raise HtmlParseError(f'Unescaped ">" at byte offset {boff(i)}, use "&gt;"')
        if c != "<":
            out.append(c)
            u16 += _utf16len(c)
            i += 1
            continue

        begin = i
        i += 1
        if ch(i) != "/":
            # ---- start tag
            tb = i
            while ch(i) not in _WS and ch(i) != ">":
                i += 1
            if i >= n:
                raise HtmlParseError(f"Unclosed start tag at byte offset {boff(begin)}")
            tag = text[tb:i].lower()
            if tag not in _ALLOWED_TAGS:
                raise HtmlParseError(
                    f'Unsupported start tag "{tag}" at byte offset {boff(begin)}'
                )
            attrs: dict[str, str] = {}
            while ch(i) != ">":
                while i < n and text[i] in _WS:
                    i += 1
                if i >= n:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                if text[i] == ">":
                    break
                ab = i
                while ch(i) not in _WS and ch(i) != "=":
                    i += 1
                aname = text[ab:i].lower()
                if not aname:
                    raise HtmlParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {boff(begin)}'
                    )
                while i < n and text[i] in _WS:
                    i += 1
                if ch(i) != "=":
                    raise HtmlParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {boff(begin)}"
                    )
                i += 1
                while i < n and text[i] in _WS:
                    i += 1
                if i >= n:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                if text[i] not in "'\"":
                    tok = i
                    while i < n and (text[i].isascii() and text[i].isalnum() or text[i] in ".-"):
                        i += 1
                    value = text[tok:i].lower()
                    if ch(i) not in _WS and ch(i) != ">":
                        raise HtmlParseError(
                            f"Unexpected end of name token at byte offset {boff(tok)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    buf: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            dec = _decode_entity(text, i)
                            if dec is not None:
                                buf.append(dec[0])
                                i = dec[1]
                                continue
                        buf.append(text[i])
                        i += 1
                    if i < n:
                        i += 1
                    value = "".join(buf)
                if i >= n:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {boff(begin)}")
                attrs[aname] = value
            if tag == "span" and attrs.get("class") != "tg-spoiler":
                raise HtmlParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {boff(begin)}'
                )
            stack.append({"tag": tag, "attrs": attrs, "offset": u16, "text_start": len(out)})
            i += 1  # skip '>'
        else:
            # ---- end tag
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {boff(begin)}")
            while ch(i) not in _WS and ch(i) != ">":
                i += 1
            end_name = text[begin + 2:i].lower()
            while i < n and text[i] in _WS:
                i += 1
            if ch(i) != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {boff(begin)}")
            top = stack[-1]
            if end_name and end_name != top["tag"]:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {boff(begin)}, expected "
                    f'"</{top["tag"]}>", found "</{end_name}>"'
                )
            stack.pop()
            i += 1
            length = u16 - top["offset"]
            tag, attrs = top["tag"], top["attrs"]
            if tag == "code" and stack and stack[-1]["tag"] == "pre":
                cls = attrs.get("class", "")
                if cls.startswith("language-"):
                    stack[-1]["language"] = cls[len("language-"):]
                continue
            if length <= 0:
                continue
            ent: dict[str, Any] = {"type": _TAG_ENTITY[tag], "offset": top["offset"],
                                   "length": length}
            if tag == "a":
                url = attrs.get("href")
                if url is None:
                    url = "".join(out[top["text_start"]:])
                if not url:
                    continue
                ent["url"] = url
            elif tag == "pre" and top.get("language"):
                ent["language"] = top["language"]
            elif tag == "tg-emoji":
                ent["custom_emoji_id"] = attrs.get("emoji-id", "")
            elif tag == "blockquote" and "expandable" in attrs:
                ent["type"] = "expandable_blockquote"
            entities.append(ent)
    if stack:
        raise HtmlParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# --------------------------------------------------------------------------- helpers


class _ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class _Fault:
    method: str  # lower-case method name or "*"
    kind: str
    count: int
    chat_id: Any = None
    retry_after: int = 1
    delay: float | None = None
    description: str | None = None
    deliver: bool | None = None


@dataclass
class UploadedFile:
    field: str
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)


def _norm_chat(chat_id: Any) -> Any:
    """int for numeric ids, str (as given) for '@channel' names."""
    if chat_id is None:
        return None
    if isinstance(chat_id, bool):
        return int(chat_id)
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, float) and chat_id.is_integer():
        return int(chat_id)
    s = str(chat_id).strip()
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    return s


def _chat_key(chat_id: Any) -> Any:
    c = _norm_chat(chat_id)
    return c.lower() if isinstance(c, str) else c


def _coerce_form_value(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not m:
        raise _ApiError(400, "Bad Request: invalid multipart body")
    boundary = b"--" + m.group(1).encode("latin-1")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for part in body.split(boundary)[1:]:
        if part.startswith(b"--"):
            break
        part = part[2:] if part.startswith(b"\r\n") else part
        head, sep, data = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        disp = headers.get("content-disposition", "")
        nm = re.search(r'(?:^|;)\s*name="([^"]*)"', disp)
        if not nm:
            continue
        name = nm.group(1)
        fn = re.search(r'filename="([^"]*)"', disp)
        if fn is not None:
            files[name] = UploadedFile(name, fn.group(1), headers.get("content-type"), data)
        else:
            fields[name] = data.decode("utf-8")
    return fields, files


# --------------------------------------------------------------------------- server


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: "FakeTelegram"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence
        pass

    def setup(self) -> None:
        super().setup()
        self.server.fake._register_conn(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._unregister_conn(self.connection)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        fake = self.server.fake
        try:
            body = self._read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        status, payload, action = fake._dispatch(self.command, self.path, self.headers, body)
        if action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if isinstance(action, float):
            fake._stop_event.wait(action)
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class FakeTelegram:
    """Fake Telegram Bot API server. See module docstring and README in the report."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_id: int = 1234,
        bot_username: str = "pantau_phk_bot",
        bot_first_name: str = "Pantau PHK",
        valid_tokens: set[str] | None = None,
        strict_html: bool = True,
        long_poll_cap: float = 1.0,
        timeout_delay: float = 1.5,
        enforce_limits: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.valid_tokens = set(valid_tokens) if valid_tokens is not None else None
        self.strict_html = strict_html
        self.long_poll_cap = long_poll_cap
        self.timeout_delay = timeout_delay
        self.enforce_limits = enforce_limits
        self._host, self._port = host, port

        self._lock = threading.RLock()
        self._cv = threading.Condition(self._lock)
        self._stop_event = threading.Event()
        self._conns: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

        self.requests: list[dict] = []
        self.sent: list[dict] = []
        self.actions: list[dict] = []
        self.callback_answers: list[dict] = []
        self.unknown_calls: list[dict] = []
        self.deleted: list[dict] = []
        self.commands_by_scope: dict[tuple, list[dict]] = {}
        self.webhook_deleted = 0
        self.tokens_seen: set[str] = set()

        self._updates: list[dict] = []
        self._next_update_id = 1
        self._msg_counter: dict[Any, int] = {}
        self._messages: dict[tuple, dict] = {}
        self._chats: dict[Any, dict] = {}
        self._channel_ids: dict[str, int] = {}
        self._blocked: dict[Any, str] = {}
        self._faults: list[_Fault] = []
        self._pending_callbacks: set[str] = set()
        self._next_cb = 7_000_000_000
        self._send_times: dict[Any, list[float]] = {}
        self._admins: dict[Any, set[int]] = {}
        self._owners: dict[Any, int] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "FakeTelegram":
        if self._httpd is not None:
            return self
        self._stop_event.clear()
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name="FakeTelegram", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd = self._httpd
        if httpd is None:
            return
        self._stop_event.set()
        with self._cv:
            self._cv.notify_all()
        httpd.shutdown()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._httpd = None
        self._thread = None

    close = stop

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Root URL, e.g. http://127.0.0.1:PORT (value for TELEGRAM_API_URL)."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For PTB ``base_url`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def bot_user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name,
                "username": self.bot_username}

    def _register_conn(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.add(conn)

    def _unregister_conn(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.discard(conn)

    # ------------------------------------------------------------------ configuration
    def fail_next(self, method: str, kind: str, count: int = 1, chat_id: Any = None, *,
                  retry_after: int = 1, delay: float | None = None,
                  description: str | None = None, deliver: bool | None = None) -> None:
        """Inject a fault for the next ``count`` calls of ``method`` ("*" = any method),
        optionally only for calls targeting ``chat_id``.

        kind: "429" | "500" | "502" | "403" | "400" | "timeout" | "drop".
        "timeout": the call is processed normally (message recorded/delivered) but the answer
        is delayed by ``delay`` (default ``self.timeout_delay``) seconds.
        "drop": the connection is closed without an answer; not delivered unless deliver=True.
        """
        kind = str(kind)
        if kind not in {"429", "500", "502", "403", "400", "timeout", "drop"}:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._faults.append(_Fault(method.lower(), kind, count, _chat_key(chat_id),
                                       retry_after, delay, description, deliver))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def block_chat(self, chat_id: Any,
                   description: str = "Forbidden: bot was blocked by the user") -> None:
        with self._lock:
            self._blocked[_chat_key(chat_id)] = description

    def unblock_chat(self, chat_id: Any) -> None:
        with self._lock:
            self._blocked.pop(_chat_key(chat_id), None)

    def set_chat(self, chat_id: Any, type: str | None = None, **fields: Any) -> dict:
        """Register/override chat info (type, title, username, first_name...)."""
        with self._lock:
            chat = self._chat_obj(chat_id)
            if type:
                chat["type"] = type
            chat.update(fields)
            return dict(chat)

    def set_admins(self, chat_id: Any, user_ids: Any, owner: int | None = None) -> None:
        """Group administrators answered by getChatMember (``owner`` is the "creator")."""
        with self._lock:
            key = self._canon_key(chat_id)
            self._admins[key] = {int(u) for u in user_ids}
            if owner is not None:
                self._owners[key] = int(owner)

    def clear(self) -> None:
        """Forget recorded requests/messages (keeps chats, blocks and message counters)."""
        with self._lock:
            self.requests.clear()
            self.sent.clear()
            self.actions.clear()
            self.callback_answers.clear()
            self.unknown_calls.clear()
            self.deleted.clear()
            self._send_times.clear()

    # ------------------------------------------------------------------ chats / messages
    def _chat_obj(self, chat_id: Any) -> dict:
        key = _chat_key(chat_id)
        chat = self._chats.get(key)
        if chat is not None:
            return chat
        norm = _norm_chat(chat_id)
        if isinstance(norm, str):
            name = norm[1:] if norm.startswith("@") else norm
            cid = self._channel_ids.setdefault(key, -1001000000000 - len(self._channel_ids) - 1)
            chat = {"id": cid, "type": "channel", "title": name, "username": name}
        elif norm > 0:
            chat = {"id": norm, "type": "private", "first_name": f"User{norm}"}
        elif str(norm).startswith("-100"):
            chat = {"id": norm, "type": "supergroup", "title": f"Group {norm}"}
        else:
            chat = {"id": norm, "type": "group", "title": f"Group {norm}"}
        self._chats[key] = chat
        if isinstance(norm, str):
            self._chats[cid] = chat  # numeric alias
        return chat

    def _canon_key(self, chat_id: Any) -> Any:
        """Key under which messages are stored (numeric id for channels)."""
        return self._chat_obj(chat_id)["id"]

    def _next_message_id(self, chat_id: Any) -> int:
        k = self._canon_key(chat_id)
        self._msg_counter[k] = self._msg_counter.get(k, 0) + 1
        return self._msg_counter[k]

    def _chat_ref(self, chat: dict) -> dict:
        return {k: v for k, v in chat.items()
                if k in ("id", "type", "title", "username", "first_name", "last_name",
                         "is_forum")}

    def _user_obj(self, user_id: int, username: str | None = None,
                  first_name: str | None = None) -> dict:
        u = {"id": user_id, "is_bot": False, "first_name": first_name or f"User{user_id}",
             "language_code": "id"}
        if username:
            u["username"] = username
        return u

    # ------------------------------------------------------------------ update injection
    def push_update(self, update: dict) -> int:
        """Queue a raw update dict (update_id assigned if missing)."""
        with self._cv:
            upd = dict(update)
            if "update_id" not in upd:
                upd["update_id"] = self._next_update_id
            self._next_update_id = max(self._next_update_id, upd["update_id"]) + 1
            self._updates.append(upd)
            self._cv.notify_all()
            return upd["update_id"]

    def push_message(self, chat_id: Any, text: str, from_id: int | None = None, *,
                     chat_type: str | None = None, username: str | None = None,
                     first_name: str | None = None, title: str | None = None,
                     reply_to_message_id: int | None = None,
                     message_thread_id: int | None = None) -> int:
        """Queue an incoming text message (bot_command entity added for "/cmd..."),
        returns the update_id. For channels a channel_post update is produced."""
        with self._cv:
            chat = self._chat_obj(chat_id)
            if chat_type:
                chat["type"] = chat_type
                if chat_type != "private":
                    chat.setdefault("title", f"Group {chat['id']}")
            if title:
                chat["title"] = title
            if chat["type"] == "private":
                if username:
                    chat["username"] = username
                if first_name:
                    chat["first_name"] = first_name
            if from_id is None:
                from_id = chat["id"] if chat["type"] == "private" else 1000
            mid = self._next_message_id(chat_id)
            msg: dict[str, Any] = {"message_id": mid, "date": int(time.time()),
                                   "chat": self._chat_ref(chat), "text": text}
            if chat["type"] == "channel":
                msg["sender_chat"] = self._chat_ref(chat)
            else:
                msg["from"] = self._user_obj(from_id, username, first_name)
            if message_thread_id is not None:
                msg["message_thread_id"] = message_thread_id
            if reply_to_message_id is not None:
                orig = self._messages.get((chat["id"], reply_to_message_id))
                msg["reply_to_message"] = orig or {
                    "message_id": reply_to_message_id, "date": int(time.time()),
                    "chat": self._chat_ref(chat)}
            if text.startswith("/"):
                token = re.split(r"\s", text, maxsplit=1)[0]
                msg["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": _utf16len(token)}]
            self._messages[(chat["id"], mid)] = dict(msg, _from_bot=False)
            kind = "channel_post" if chat["type"] == "channel" else "message"
            return self.push_update({kind: msg})

    def age_message(self, chat_id: Any, message_id: int, hours: float) -> None:
        """Pretend a stored message was sent ``hours`` earlier (deleteMessage refuses after 48 h)."""
        with self._lock:
            stored = self._messages[(self._canon_key(chat_id), message_id)]
            stored["date"] = int(stored.get("date", time.time()) - hours * 3600)

    def push_callback(self, chat_id: Any, message_id: int, data: str,
                      from_id: int | None = None, *, username: str | None = None,
                      first_name: str | None = None) -> int:
        """Queue a callback_query on a (previously sent) message, pressed by user ``from_id``
        (any id: admins and strangers); returns the update_id.
        The callback query id is in ``self.last_callback_id``."""
        with self._cv:
            chat = self._chat_obj(chat_id)
            if from_id is None:
                from_id = chat["id"] if chat["type"] == "private" else 1000
            stored = self._messages.get((chat["id"], message_id))
            if stored is not None:
                message = {k: v for k, v in stored.items() if not k.startswith("_")}
            else:
                message = {"message_id": message_id, "date": int(time.time()),
                           "chat": self._chat_ref(chat), "from": self.bot_user, "text": ""}
            self._next_cb += 1
            cb_id = str(self._next_cb)
            self._pending_callbacks.add(cb_id)
            self.last_callback_id = cb_id
            cq = {"id": cb_id, "from": self._user_obj(from_id, username, first_name),
                  "chat_instance": str(abs(hash(("ci", chat["id"])))), "data": data,
                  "message": message}
            return self.push_update({"callback_query": cq})

    @property
    def pending_updates(self) -> list[dict]:
        with self._lock:
            return list(self._updates)

    # ------------------------------------------------------------------ accessors
    def messages_to(self, chat_id: Any, *, include_edits: bool = False) -> list[dict]:
        """Accepted send* records (sendMessage/sendPhoto/sendDocument) for a chat."""
        with self._lock:
            key = self._canon_key(chat_id)
            return [r for r in self.sent if r["chat_key"] == key
                    and (include_edits or r["method"] != "editMessageText")]

    @property
    def edits(self) -> list[dict]:
        with self._lock:
            return [r for r in self.sent if r["method"] == "editMessageText"]

    @property
    def photos(self) -> list[dict]:
        with self._lock:
            return [r for r in self.sent if r["method"] == "sendPhoto"]

    @property
    def commands(self) -> list[dict]:
        """Commands set via setMyCommands for the default scope / no language."""
        with self._lock:
            return list(self.commands_by_scope.get(("default", ""), []))

    def calls(self, method: str) -> list[dict]:
        with self._lock:
            return [r for r in self.requests if r["method"].lower() == method.lower()]

    def message(self, chat_id: Any, message_id: int) -> dict | None:
        """Current state of a stored message (after edits)."""
        with self._lock:
            m = self._messages.get((self._canon_key(chat_id), message_id))
            return None if m is None else {k: v for k, v in m.items() if not k.startswith("_")}

    def send_times(self, chat_id: Any) -> list[float]:
        """time.monotonic() stamps of accepted sends to a chat."""
        with self._lock:
            return list(self._send_times.get(self._canon_key(chat_id), []))

    def max_in_window(self, chat_id: Any = None, window: float = 60.0) -> int:
        """Max number of accepted sends within any ``window`` seconds (chat or all chats)."""
        with self._lock:
            if chat_id is None:
                ts = sorted(t for v in self._send_times.values() for t in v)
            else:
                ts = list(self._send_times.get(self._canon_key(chat_id), []))
        best, j = 0, 0
        for i, t in enumerate(ts):
            while ts[j] <= t - window:
                j += 1
            best = max(best, i - j + 1)
        return best

    # ------------------------------------------------------------------ waiting helpers
    def wait_for(self, predicate: Callable[[list[dict]], Any], timeout: float = 10.0) -> Any:
        """Wait until predicate(copy of self.sent) is truthy; returns its value.
        Raises TimeoutError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                res = predicate(list(self.sent))
                if res:
                    return res
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"wait_for timed out after {timeout}s; sent={self._summary()}")
                self._cv.wait(min(left, 0.05))

    def wait_for_messages(self, chat_id: Any, n: int = 1, timeout: float = 10.0) -> list[dict]:
        key_holder = {}
        with self._lock:
            key_holder["k"] = self._canon_key(chat_id)

        def pred(sent: list[dict]) -> list[dict] | None:
            msgs = [r for r in sent if r["chat_key"] == key_holder["k"]
                    and r["method"] != "editMessageText"]
            return msgs if len(msgs) >= n else None

        try:
            return self.wait_for(pred, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"expected {n} message(s) to {chat_id!r} within {timeout}s, got "
                f"{len(self.messages_to(chat_id))}; sent={self._summary()}") from None

    def wait_for_request(self, method: str, n: int = 1, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                got = [r for r in self.requests if r["method"].lower() == method.lower()]
                if len(got) >= n:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{method} called {len(got)}x, expected {n}")
                self._cv.wait(min(left, 0.05))

    def _summary(self) -> list:
        return [(r["method"], r["chat_id"], (r.get("text") or r.get("caption") or "")[:60])
                for r in self.sent[-10:]]

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, http_method: str, path: str, headers: Any,
                  body: bytes) -> tuple[int, dict, Any]:
        """Returns (status, payload, action) where action is None, "drop" or a delay."""
        parts = urlsplit(path)
        m = re.fullmatch(r"/bot([^/]*)/([A-Za-z_]+)/?", parts.path)
        if not m:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, None
        token, method = m.group(1), m.group(2)
        if not TOKEN_RE.match(token) or (self.valid_tokens is not None
                                         and token not in self.valid_tokens):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, None
        try:
            params, files = self._parse_params(parts.query, headers, body)
        except _ApiError as e:
            return e.code, {"ok": False, "error_code": e.code,
                            "description": e.description}, None
        lname = method.lower()
        with self._cv:
            self.tokens_seen.add(token)
            self.requests.append({"method": method, "params": params, "time": time.time(),
                                  "mono": time.monotonic(), "http_method": http_method,
                                  "files": {k: f.filename for k, f in files.items()},
                                  "token": token})
            self._cv.notify_all()
            fault = self._take_fault(lname, params)

        action: Any = None
        if fault is not None:
            if fault.kind == "drop":
                if fault.deliver:
                    self._safe_call(lname, method, params, files, fault)
                return 0, {}, "drop"
            if fault.kind == "timeout":
                action = float(fault.delay if fault.delay is not None else self.timeout_delay)
            else:
                return self._fault_response(fault)
        status, payload = self._safe_call(lname, method, params, files, fault)
        return status, payload, action

    def _safe_call(self, lname: str, method: str, params: dict, files: dict,
                   fault: _Fault | None) -> tuple[int, dict]:
        try:
            result = self._call(lname, method, params, files, fault)
            return 200, {"ok": True, "result": result}
        except _ApiError as e:
            payload = {"ok": False, "error_code": e.code, "description": e.description}
            if e.parameters:
                payload["parameters"] = e.parameters
            return e.code, payload
        except Exception as e:  # pragma: no cover - bug in the fake
            return 500, {"ok": False, "error_code": 500,
                         "description": f"Internal Server Error: fake crashed: {e!r}"}

    def _fault_response(self, f: _Fault) -> tuple[int, dict, Any]:
        if f.kind == "429":
            desc = f.description or f"Too Many Requests: retry after {f.retry_after}"
            return 429, {"ok": False, "error_code": 429, "description": desc,
                         "parameters": {"retry_after": f.retry_after}}, None
        code = int(f.kind)
        default = {"500": "Internal Server Error", "502": "Bad Gateway",
                   "403": "Forbidden: bot was blocked by the user",
                   "400": "Bad Request: injected failure"}[f.kind]
        return code, {"ok": False, "error_code": code,
                      "description": f.description or default}, None

    def _take_fault(self, lname: str, params: dict) -> _Fault | None:
        target = params.get("chat_id")
        tkey = _chat_key(target) if target is not None else None
        for f in self._faults:
            if f.method not in ("*", lname):
                continue
            if f.chat_id is not None and f.chat_id != tkey:
                # allow '@name' vs numeric id match
                if not (tkey is not None and self._canon_key(f.chat_id)
                        == self._canon_key(tkey)):
                    continue
            f.count -= 1
            if f.count <= 0:
                self._faults.remove(f)
            return f
        return None

    def _parse_params(self, query: str, headers: Any,
                      body: bytes) -> tuple[dict, dict[str, UploadedFile]]:
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        for k, v in parse_qsl(query, keep_blank_values=True):
            params[k] = _coerce_form_value(k, v)
        ctype = (headers.get("Content-Type") or "").lower()
        if body:
            if ctype.startswith("application/json"):
                try:
                    data = json.loads(body.decode("utf-8"))
                except ValueError:
                    raise _ApiError(400, "Bad Request: can't parse JSON") from None
                if isinstance(data, dict):
                    params.update(data)
            elif ctype.startswith("multipart/form-data"):
                fields, files = _parse_multipart(body, headers.get("Content-Type"))
                for k, v in fields.items():
                    params[k] = _coerce_form_value(k, v)
            else:  # x-www-form-urlencoded (PTB default) or unspecified
                for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
                    params[k] = _coerce_form_value(k, v)
        # attach://name references
        for k, v in list(params.items()):
            if isinstance(v, str) and v.startswith("attach://") and v[9:] in files:
                files[k] = files[v[9:]]
        return params, files

    # ------------------------------------------------------------------ API methods
    def _call(self, lname: str, method: str, p: dict, files: dict,
              fault: _Fault | None) -> Any:
        handler = getattr(self, f"_m_{lname}", None)
        with self._cv:
            try:
                if handler is None:
                    self.unknown_calls.append({"method": method, "params": p,
                                               "time": time.time()})
                    return True
                return handler(p, files, fault)
            finally:
                self._cv.notify_all()

    def _m_getme(self, p: dict, files: dict, fault: Any) -> dict:
        return dict(self.bot_user, can_join_groups=True, can_read_all_group_messages=False,
                    supports_inline_queries=False, can_connect_to_business=False,
                    has_main_web_app=False)

    def _m_logout(self, p: dict, files: dict, fault: Any) -> bool:
        return True

    def _m_close(self, p: dict, files: dict, fault: Any) -> bool:
        return True

    def _m_deletewebhook(self, p: dict, files: dict, fault: Any) -> bool:
        self.webhook_deleted += 1
        if p.get("drop_pending_updates") in (True, "true", "True", 1):
            self._updates.clear()
        return True

    def _m_getwebhookinfo(self, p: dict, files: dict, fault: Any) -> dict:
        return {"url": "", "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    def _m_getupdates(self, p: dict, files: dict, fault: Any) -> list:
        offset = p.get("offset")
        limit = int(p.get("limit") or 100)
        limit = max(1, min(limit, 100))
        timeout = float(p.get("timeout") or 0)
        if offset is not None:
            offset = int(offset)
            if offset < 0:
                self._updates[:] = self._updates[offset:]
            else:
                self._updates[:] = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + max(0.0, min(timeout, self.long_poll_cap))
        while not self._updates and not self._stop_event.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._cv.wait(left)
        return [json.loads(json.dumps(u)) for u in self._updates[:limit]]

    def _m_setmycommands(self, p: dict, files: dict, fault: Any) -> bool:
        cmds = p.get("commands")
        if not isinstance(cmds, list):
            raise _ApiError(400, "Bad Request: parameter \"commands\" is required")
        for c in cmds:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(c.get("description", ""))) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands_by_scope[self._scope_key(p)] = cmds
        return True

    def _m_getmycommands(self, p: dict, files: dict, fault: Any) -> list:
        return self.commands_by_scope.get(self._scope_key(p), [])

    def _m_deletemycommands(self, p: dict, files: dict, fault: Any) -> bool:
        self.commands_by_scope.pop(self._scope_key(p), None)
        return True

    @staticmethod
    def _scope_key(p: dict) -> tuple:
        scope = p.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        return (json.dumps(scope, sort_keys=True) if scope.get("type") != "default"
                else "default", p.get("language_code") or "")

    def _m_getchat(self, p: dict, files: dict, fault: Any) -> dict:
        chat_id = self._require_chat(p)
        chat = dict(self._chat_obj(chat_id))
        chat.update(accent_color_id=0, max_reaction_count=11,
                    accepted_gift_types={"unlimited_gifts": False, "limited_gifts": False,
                                         "unique_gifts": False, "premium_subscription": False,
                                         "gifts_from_channels": False})
        return chat

    def _m_getchatmember(self, p: dict, files: dict, fault: Any) -> dict:
        """creator / administrator (``set_admins``) / member; private chats: the user is a member."""
        chat_id = self._require_chat(p)
        try:
            user_id = int(p.get("user_id"))
        except (TypeError, ValueError):
            raise _ApiError(400, "Bad Request: invalid user_id specified") from None
        key = self._canon_key(chat_id)
        user = self._user_obj(user_id)
        if self._owners.get(key) == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in self._admins.get(key, set()):
            rights = dict.fromkeys(
                ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
                 "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
                 "can_delete_stories"), True)
            return {"status": "administrator", "user": user, "can_be_edited": False, "is_anonymous": False,
                    "can_promote_members": False, **rights}
        return {"status": "member", "user": user}

    def _m_sendchataction(self, p: dict, files: dict, fault: Any) -> bool:
        chat_id = self._require_chat(p)
        self._check_blocked(chat_id)
        self.actions.append({"chat_id": _norm_chat(chat_id), "action": p.get("action"),
                             "time": time.time()})
        return True

    def _m_answercallbackquery(self, p: dict, files: dict, fault: Any) -> bool:
        cb_id = str(p.get("callback_query_id", ""))
        if cb_id not in self._pending_callbacks:
            raise _ApiError(400, "Bad Request: query is too old and response timeout expired "
                                 "or query ID is invalid")
        self._pending_callbacks.discard(cb_id)
        self.callback_answers.append({"callback_query_id": cb_id, "text": p.get("text"),
                                      "show_alert": p.get("show_alert"), "params": p,
                                      "time": time.time()})
        return True

    def _m_deletemessage(self, p: dict, files: dict, fault: Any) -> bool:
        """Like Telegram: a message older than 48 hours (see ``age_message``) cannot be deleted."""
        chat_id = self._require_chat(p)
        key = (self._canon_key(chat_id), int(p.get("message_id", 0)))
        if key not in self._messages:
            raise _ApiError(400, "Bad Request: message to delete not found")
        if time.time() - self._messages[key].get("date", time.time()) > DELETE_WINDOW:
            raise _ApiError(400, "Bad Request: message can't be deleted for everyone")
        del self._messages[key]
        self.deleted.append({"chat_id": _norm_chat(chat_id), "message_id": key[1]})
        return True

    # ---- sending
    def _require_chat(self, p: dict) -> Any:
        chat_id = p.get("chat_id")
        if chat_id in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        return chat_id

    def _check_blocked(self, chat_id: Any) -> None:
        for k in {_chat_key(chat_id), self._canon_key(chat_id)}:
            if k in self._blocked:
                raise _ApiError(403, self._blocked[k])
        # channel blocked by '@name' while addressed by id
        for k, desc in self._blocked.items():
            if isinstance(k, str) and self._canon_key(k) == self._canon_key(chat_id):
                raise _ApiError(403, desc)

    def _check_limits(self, chat_id: Any) -> None:
        if not self.enforce_limits:
            return
        now = time.monotonic()
        chat = self._chat_obj(chat_id)
        ts = self._send_times.get(chat["id"], [])
        if chat["type"] == "private":
            recent = [t for t in ts if t > now - 1.0]
            if recent:
                raise _ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        else:
            recent = [t for t in ts if t > now - 60.0]
            if len(recent) >= 20:
                wait = max(1, math.ceil(recent[0] + 60.0 - now))
                raise _ApiError(429, f"Too Many Requests: retry after {wait}",
                                {"retry_after": wait})
        all_recent = [t for v in self._send_times.values() for t in v if t > now - 1.0]
        if len(all_recent) >= 30:
            raise _ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})

    def _format(self, text: Any, parse_mode: Any, p: dict, entities_key: str,
                limit: int, too_long: str, empty: str) -> tuple[str, list[dict]]:
        if text is None:
            text = ""
        if not isinstance(text, str):
            text = str(text)
        if parse_mode and str(parse_mode).lower() == "html":
            try:
                plain, ents = parse_telegram_html(text, strict=self.strict_html)
            except HtmlParseError as e:
                raise _ApiError(400, f"Bad Request: can't parse entities: {e}") from None
        else:
            plain = text
            ents = p.get(entities_key) or []
        if empty and not plain.strip():
            raise _ApiError(400, empty)
        if len(plain) > limit:
            raise _ApiError(400, too_long)
        return plain, ents

    @staticmethod
    def _markup(p: dict) -> Any:
        rm = p.get("reply_markup")
        if isinstance(rm, str):
            try:
                rm = json.loads(rm)
            except ValueError:
                raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON "
                                     "object") from None
        if isinstance(rm, dict) and "inline_keyboard" in rm:
            for row in rm["inline_keyboard"]:
                for b in row:
                    if "callback_data" in b and not 1 <= len(
                            str(b["callback_data"]).encode()) <= 64:
                        raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return rm

    def _deliver(self, method: str, p: dict, chat_id: Any, msg_extra: dict,
                 record_extra: dict, fault: _Fault | None) -> dict:
        chat = self._chat_obj(chat_id)
        mid = self._next_message_id(chat_id)
        msg: dict[str, Any] = {"message_id": mid, "date": int(time.time()),
                               "chat": self._chat_ref(chat)}
        if chat["type"] == "channel":
            msg["sender_chat"] = self._chat_ref(chat)
        else:
            msg["from"] = self.bot_user
        msg.update({k: v for k, v in msg_extra.items() if v not in (None, [])})
        rm = self._markup(p)
        if isinstance(rm, dict) and "inline_keyboard" in rm:
            msg["reply_markup"] = rm
        if p.get("message_thread_id") is not None:
            msg["message_thread_id"] = int(p["message_thread_id"])
        self._messages[(chat["id"], mid)] = dict(msg, _from_bot=True)
        now_m = time.monotonic()
        self._send_times.setdefault(chat["id"], []).append(now_m)
        rec = {"method": method, "chat_id": _norm_chat(chat_id), "chat_key": chat["id"],
               "message_id": mid, "text": None, "parse_mode": p.get("parse_mode"),
               "reply_markup": rm, "time": time.time(), "mono": now_m,
               "disable_notification": p.get("disable_notification"),
               "fault": fault.kind if fault else None, "params": p}
        rec.update(record_extra)
        self.sent.append(rec)
        return msg

    def _m_sendmessage(self, p: dict, files: dict, fault: Any) -> dict:
        chat_id = self._require_chat(p)
        self._check_blocked(chat_id)
        plain, ents = self._format(p.get("text"), p.get("parse_mode"), p, "entities",
                                   TEXT_LIMIT, "Bad Request: message is too long",
                                   "Bad Request: message text is empty")
        self._check_limits(chat_id)
        return self._deliver("sendMessage", p, chat_id, {"text": plain, "entities": ents},
                             {"text": p.get("text"), "plain_text": plain, "entities": ents},
                             fault)

    def _send_file(self, method: str, field_name: str, p: dict, files: dict,
                   fault: Any) -> dict:
        chat_id = self._require_chat(p)
        self._check_blocked(chat_id)
        up = files.get(field_name)
        ref = p.get(field_name)
        if up is None and not ref:
            raise _ApiError(400, f"Bad Request: there is no {field_name} in the request")
        plain, ents = self._format(p.get("caption"), p.get("parse_mode"), p,
                                   "caption_entities", CAPTION_LIMIT,
                                   "Bad Request: message caption is too long", "")
        self._check_limits(chat_id)
        data = up.data if up else None
        uid = f"AQAD{abs(hash((method, len(data or b''), ref)))}"
        if field_name == "photo":
            obj: Any = [{"file_id": f"AgAC{uid}", "file_unique_id": uid[:16], "width": 800,
                         "height": 600, "file_size": len(data) if data else 0}]
        else:
            obj = {"file_id": f"BQAC{uid}", "file_unique_id": uid[:16],
                   "file_name": up.filename if up else None,
                   "mime_type": up.content_type if up else None,
                   "file_size": len(data) if data else 0}
        extra = {field_name: obj, "caption": plain or None, "caption_entities": ents}
        rec = {"caption": p.get("caption"), "plain_caption": plain,
               f"{field_name}_bytes": data, "filename": up.filename if up else None,
               "mime_type": up.content_type if up else None,
               field_name: ref if up is None else None}
        if field_name == "photo":
            rec["photo_bytes"] = data
        return self._deliver(method, p, chat_id, extra, rec, fault)

    def _m_sendphoto(self, p: dict, files: dict, fault: Any) -> dict:
        return self._send_file("sendPhoto", "photo", p, files, fault)

    def _m_senddocument(self, p: dict, files: dict, fault: Any) -> dict:
        return self._send_file("sendDocument", "document", p, files, fault)

    def _m_editmessagetext(self, p: dict, files: dict, fault: Any) -> Any:
        plain, ents = self._format(p.get("text"), p.get("parse_mode"), p, "entities",
                                   TEXT_LIMIT, "Bad Request: message is too long",
                                   "Bad Request: message text is empty")
        rm = self._markup(p)
        if p.get("inline_message_id"):
            self.sent.append({"method": "editMessageText", "chat_id": None, "chat_key": None,
                              "message_id": None, "inline_message_id": p["inline_message_id"],
                              "text": p.get("text"), "plain_text": plain, "entities": ents,
                              "parse_mode": p.get("parse_mode"), "reply_markup": rm,
                              "time": time.time(), "mono": time.monotonic(),
                              "fault": fault.kind if fault else None, "params": p})
            return True
        chat_id = self._require_chat(p)
        self._check_blocked(chat_id)
        try:
            mid = int(p.get("message_id"))
        except (TypeError, ValueError):
            raise _ApiError(400, "Bad Request: message identifier is not specified") from None
        key = (self._canon_key(chat_id), mid)
        stored = self._messages.get(key)
        if stored is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if not stored.get("_from_bot"):
            raise _ApiError(400, "Bad Request: message can't be edited")
        new_rm = rm if isinstance(rm, dict) and "inline_keyboard" in rm else None
        if (stored.get("text") == plain and (stored.get("entities") or []) == ents
                and stored.get("reply_markup") == new_rm):
            raise _ApiError(400, "Bad Request: message is not modified: specified new message "
                                 "content and reply markup are exactly the same as a current "
                                 "content and reply markup of the message")
        stored["text"] = plain
        stored["entities"] = ents
        if not ents:
            stored.pop("entities")
        if new_rm is not None:
            stored["reply_markup"] = new_rm
        else:
            stored.pop("reply_markup", None)
        stored["edit_date"] = int(time.time())
        self.sent.append({"method": "editMessageText", "chat_id": _norm_chat(chat_id),
                          "chat_key": key[0], "message_id": mid, "text": p.get("text"),
                          "plain_text": plain, "entities": ents,
                          "parse_mode": p.get("parse_mode"), "reply_markup": rm,
                          "time": time.time(), "mono": time.monotonic(),
                          "fault": fault.kind if fault else None, "params": p})
        return {k: v for k, v in stored.items() if not k.startswith("_")}

    def _m_editmessagereplymarkup(self, p: dict, files: dict, fault: Any) -> Any:
        rm = self._markup(p)
        if p.get("inline_message_id"):
            return True
        chat_id = self._require_chat(p)
        key = (self._canon_key(chat_id), int(p.get("message_id") or 0))
        stored = self._messages.get(key)
        if stored is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if isinstance(rm, dict) and rm.get("inline_keyboard"):
            stored["reply_markup"] = rm
        else:
            stored.pop("reply_markup", None)
        stored["edit_date"] = int(time.time())
        return {k: v for k, v in stored.items() if not k.startswith("_")}
