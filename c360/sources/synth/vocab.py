"""Fixed string pools: user agents, article ids and article metadata (independent of the run's seed)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Final

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from c360.sources.synth import params as P

USER_AGENTS: Final[dict[str, tuple[str, ...]]] = {
    "mobile": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    ),
    "desktop": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
    ),
    "tablet": (
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
    ),
    "app": (
        "C360News/5.2.1 (iPhone; iOS 17.4; Scale/3.00)",
        "C360News/5.2.0 (Linux; Android 14; Pixel 8) okhttp/4.12.0",
        "C360News/5.1.9 (iPad; iOS 17.3; Scale/2.00)",
    ),
}
BOT_USER_AGENTS: Final = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html) crawler",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/) spider",
)
BOT_MARKERS: Final = ("bot", "headlesschrome", "python-requests", "curl", "crawler", "spider")
_AUTHORS: Final = (
    "Ana Silva", "Ben Carter", "Chloe Martin", "David Okafor", "Elena Rossi", "Farah Khan", "George Lee",
    "Hannah Novak", "Ivan Petrov", "Julia Weber", "Kenji Sato", "Laura Gómez", "Marcus Brown", "Nina Berg",
    "Omar Haddad", "Priya Nair", "Quentin Dubois", "Rosa Alvarez", "Sam O'Neill", "Tara Singh",
)  # fmt: skip
_ARTICLE_SEED: Final = 1_000_003  # article metadata is a fixed function of the article, whatever the run seed


def all_user_agents() -> list[str]:
    """Every user agent; device d uses the slice ua_slices()[d], bots the last len(BOT_USER_AGENTS)."""
    return [ua for dev in P.DEVICES for ua in USER_AGENTS[dev]] + list(BOT_USER_AGENTS)


def ua_slices() -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(start, size) of each device's user agents inside all_user_agents(), bots last."""
    sizes = [len(USER_AGENTS[d]) for d in P.DEVICES] + [len(BOT_USER_AGENTS)]
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return start.astype(np.int64), np.asarray(sizes, dtype=np.int64)


@lru_cache(maxsize=1)
def article_ids() -> pa.StringArray:
    """'ART-0001' .. 'ART-1000'."""
    return pa.array([f"ART-{k:04d}" for k in range(1, P.N_ARTICLES + 1)], type=pa.string())


@lru_cache(maxsize=1)
def article_metadata() -> pa.StringArray:
    """One compact JSON object per article: section, word_count, author, fixed across runs."""
    rng = np.random.default_rng(_ARTICLE_SEED)
    sections = rng.integers(0, len(P.SECTIONS), P.N_ARTICLES)
    words = rng.integers(250, 2500, P.N_ARTICLES)
    authors = rng.integers(0, len(_AUTHORS), P.N_ARTICLES)
    docs = [
        json.dumps({"section": P.SECTIONS[s], "word_count": int(w), "author": _AUTHORS[a]}, ensure_ascii=False)
        for s, w, a in zip(sections.tolist(), words.tolist(), authors.tolist(), strict=True)
    ]
    return pa.array(docs, type=pa.string())


@lru_cache(maxsize=1)
def zipf_cdf() -> NDArray[np.float64]:
    """Cumulative P(k) = k^-s / H over k = 1..N: the bounded Zipf's inverse CDF table."""
    weights = np.arange(1, P.N_ARTICLES + 1, dtype=np.float64) ** -P.ZIPF_S
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    return cdf
