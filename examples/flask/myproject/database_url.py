# coding:utf-8
"""DATABASE_URL, checked before libpq sees it and printable without its password."""
import os
from urllib.parse import unquote, urlsplit


class DatabaseUrlError(Exception):
    """DATABASE_URL is missing or is not a PostgreSQL URL. The message never repeats the URL."""


def from_environment(*names):
    """The first of the variables `names` that is set and not empty, checked; DatabaseUrlError if none is."""
    for name in names:
        value = os.environ.get(name, "")
        if value:
            return DatabaseUrl(name, value)
    raise DatabaseUrlError(
        "%s is not set; set it to postgresql://user:password@host:5432/database" % " or ".join(names))


class DatabaseUrl:
    """A postgresql:// URL that libpq understands as it is; str() shows it with the password masked."""

    def __init__(self, name, url):
        # libpq would read anything else as "key=value" text and quote the bad part, password included.
        if not url.startswith(("postgresql://", "postgres://")):
            raise DatabaseUrlError("%s must start with postgresql:// or postgres://" % name)
        self.name = name
        self.url = url
        parts = urlsplit(url)
        self._passwords = sorted({parts.password, unquote(parts.password)} if parts.password else set(), key=len, reverse=True)
        netloc = parts.netloc
        if self._passwords:
            user_info, _, host = netloc.rpartition("@")
            netloc = "%s:[REDACTED]@%s" % (user_info.split(":", 1)[0], host)
        self.redacted = parts._replace(netloc=netloc).geturl()

    def scrub(self, text):
        """`text` (an error message, say) with the password, as written or percent-decoded, masked."""
        for password in self._passwords:
            text = text.replace(password, "[REDACTED]")
        return text

    def __str__(self):
        return self.redacted

    __repr__ = __str__
