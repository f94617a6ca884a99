"""List the words of the package code and the tests that the dev data or corpus/ also has.

The project's rule: no name or sentence of the sample article (``corpus/``) or
of the dev data (WMT21 and WMT22 dev, ``/work/shared/data``) belongs in the
package code, and the tests use made-up texts.  Names crept in as examples
(a rule row's comment, a doctest, a test case copied from a dev text), so
this script lists them:

* the capitalised Latin words of 4 letters or more (``Oakland``, ``NASA``)
  of ``pipeline/`` and ``tests/`` (code, data tables, YAML cases, fixtures)
  that the dev data or ``corpus/`` also writes capitalised, except a word the
  dev data also writes in lower case somewhere (``Temple``/``temple``: a
  common English word, whatever the article made of it);
* the katakana words of 3 kana or more (a run of katakana and ``ー``; ``・``
  splits a run) that the dev data or ``corpus/`` also has as a whole run;
* minus the allowlist below (:data:`ALLOWED`): each row is words and the
  reason they may stay (a weekday, a country, a generic loanword, a term of
  the project).  A name of a person, a team, a place or a product the dev
  data mentions has no row: replace it with a made-up one;
* **sentences**: a run of :data:`JA_WINDOW` Japanese characters or of
  :data:`EN_WINDOW` English words (lower-cased) that a reference text also
  has — a test text copied from a dev article or the sample, even when its
  names were changed — minus :data:`ALLOWED_FRAGMENTS` (a formula any support
  chat has).  One line per place: ``sentence<TAB>place<TAB>the fragment<TAB>a
  reference text that has it``.

Not read: ``tests/golden/`` (the expected output of the sample article, which
is the sample article's text by design), compressed files
(``pipeline/data/jmdict_anchors.tsv.gz`` holds JMdict's common entries, a
published dictionary, not dev text), and, among the reference texts, the
README's made-up article pair (:data:`MADE_UP`).

Usage::

    python benchmarks/check_dev_names.py              # pipeline/ and tests/
    python benchmarks/check_dev_names.py benchmarks   # other files or folders
    python benchmarks/check_dev_names.py --allowed    # the allowlisted words found too, with their reason

The dev data is found as the benchmarks find it (``WMT22_DEV``, ``WMT21_DEV``,
or ``shared/data`` beside the repository); when neither folder is there the
script says so and exits 0.  Exit status 1 when a word outside the allowlist
is found (one line per word: the word, where, how often the dev data has it),
0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from common import _shared_data  # noqa: E402 (found from a worktree too)

#: A copied sentence: this many Japanese characters in a row, or this many English words in a row.
JA_WINDOW = 14
EN_WINDOW = 7
JA_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff10-\uff5a、。「」]+")
EN_WORD = re.compile(r"[A-Za-z']+")

LATIN = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z]{3,}(?![A-Za-z])")
LOWER = re.compile(r"(?<![A-Za-z])[a-z]{4,}(?![A-Za-z])")
KATAKANA = re.compile(r"[ァ-ヺー]{3,}")

#: Files read in the scanned folders (code, tables, cases, fixtures).
SCANNED_SUFFIXES = {".py", ".tsv", ".yaml", ".yml", ".md", ".txt", ".json", ".jsonl", ".toml", ".cfg", ".ini"}
#: Folders never read, with the reason.
SKIPPED_DIRS = {
    "golden": "the sample article's expected output: the sample article's text by design",
    "__pycache__": "compiled code",
}

#: Texts of ``corpus/`` the project made up itself (no name in them comes from a real article), with the reason.
MADE_UP = {
    "library-reopening": "the README's made-up article pair (Riverton, Mayor Hargreaves): tests quote it on purpose",
}

#: Words that may stay although the dev data has them: (words, reason) or (words, reason, path prefixes) when
#: they may stay in those files only (prefixes separated by spaces).  A person, team, place or product of a dev article gets no row.
ALLOWED: tuple[tuple[str, ...], ...] = (
    ("Monday Tuesday Wednesday Thursday Friday Saturday Sunday Sundays", "weekdays"),
    ("January February March April June July August September October November December", "months"),
    (
        "America American Americans Arab Australia Australian Britain British China England Europe European "
        "France French German Germany Greece Greek India Indian Israel Japanese Korea Korean Russia Russian "
        "Spain Spanish Kingdom Jewish Jews Muslim Muslims "
        "アメリカ アラブ イギリス イングランド インド イスラエル イスラム オーストラリア ギリシャ スペイン ドイツ "
        "フランス ヨーロッパ ロシア ユダヤ ムスリム",
        "countries, peoples, languages and religions: general knowledge, in any text",
    ),
    (
        "Christmas Congress Senate Committee Association Union UNION Commons Mayor Professor Lady Saint クリスマス",
        "holidays, titles and institutions: common words capitalised",
    ),
    (
        "Hindu ヒンズー ヒンドゥー Tory トーリー Conservative Labour Democrat Democrats Republican Republicans "
        "Brexit ブレグジット Twitter ツイッター ホワイトハウス West ソウル",
        "name_renderings.tsv: rows of general knowledge (a religion, parties, a platform, West as a direction, Seoul) the name "
        "check needs; reviewed in round 8",
        "pipeline/data/name_renderings.tsv",
    ),
    ("ロイター", "a news agency (Reuters, beside AP and AFP): credit lines and datelines in any news text"),
    ("Covid COVID コロナ コロナウイルス", "the pandemic: general knowledge, in any text of the 2020s"),
    (
        "Latin Kanji JSON Edit Client Index Machine Erase Shares Classic RATIO Ratio SLACK TAGS Manual",
        "project terms, code names and English words opening a sentence of prose (Machine translation ...)",
    ),
    (
        "アカウント アプリ アーティスト ウイルス ウェブサイト エンジニア オープン キャピタル キャンセル キャンペーン "
        "クラブ グループ コイン コレクション コンピューター ゴール サイズ サイト サポート サミット シェア システム "
        "シーズン ジャーナリスト スキー スター ステージ スポークスマン スポーツ スマートフォン センター ソフト "
        "ソフトウェア タップ チェーン チャット チーム ツアー ツアーオペレーター ツール データ テープカット トンネル "
        "ニュース ネット ハッシュタグ ハード バージョン パソコン パーク パーセント ビジネス ピーク ファン フェリー "
        "フライト プレス ページ ペース ボクシング ボタン ボランティア ポイント ポスター ポンド ポート マット "
        "マニュアル メッセージ メディア メートル メーカー メール モデル モーニング ユーザー ランプ リスト リゾート "
        "リンク リーグ リーダー レスラー レース ローカル オミクロン ウォッシャー ワッシャー ツイート プリント マーケット パスワード "
        "サウス トラスト",
        "generic loanwords (account, app, team, ...; omicron the letter): any Japanese text has them",
    ),
    (
        "アルトマン アルターマン Altman スターゲート スターゲイト Stargate スーツケバー スッツケバー OpenAI "
        "Combinator コンビネーター マスク BretTaylor Keach Hagey Berber Dana Mattioli Josh Dawsey トランプ マクロン "
        "Facebook TikTok",
        "the sample article's names, in the tests that clean the sample article itself (tests/test_sample_*.py, "
        "the golden test): they quote its text on purpose",
        "tests/test_sample_ tests/test_golden_sample.py",
    ),
    (
        "ソフトー",
        "a misspelt common word (softie), quoted in a rule's reason that every record carries",
        "pipeline/stages/variants/forms.py",
    ),
)


#: Fragments that may stay although a reference text has them: (fragments separated by "|", reason) or (fragments,
#: reason, path prefixes).  A fragment is allowed when it lies inside one of the row's strings.
ALLOWED_FRAGMENTS: tuple[tuple[str, ...], ...] = (
    (
        "お問い合わせいただきありがとうございます|ご連絡いただきありがとうございます|へのご連絡ありがとうございます。"
        "|お待ちいただきありがとうございます。|他に何かお手伝いできることはございますか|今日はお手伝いできて嬉しかったです。"
        "|i will have to close this chat",
        "customer-support formulas (thanks for contacting us, anything else I can help with): every support chat has "
        "them, in the dev chats and in any other",
    ),
    (
        "",  # no strings: every fragment, in these files only
        "the sample article's own tests quote its text on purpose (as the golden files do)",
        "tests/test_sample_",
    ),
)


def allowed_words() -> dict[str, tuple[str, str]]:
    """Word -> (reason, path prefixes it may stay in, space-separated; "" for anywhere), from :data:`ALLOWED`.

    >>> allowed_words()["Monday"]
    ('weekdays', '')
    >>> allowed_words()["Tory"][1]
    'pipeline/data/name_renderings.tsv'
    """
    out: dict[str, tuple[str, str]] = {}
    for words, reason, *scope in ALLOWED:
        for word in words.split():
            out[word] = (reason, scope[0] if scope else "")
    return out


def is_allowed(word: str, place: str, allowed: dict[str, tuple[str, str]]) -> bool:
    """True when ``word`` may stay at ``place`` (``path:line``).

    >>> a = {"Tory": ("a party", "pipeline/data/x.tsv"), "Monday": ("a day", "")}
    >>> is_allowed("Tory", "pipeline/data/x.tsv:3", a), is_allowed("Tory", "tests/t.py:3", a)
    (True, False)
    >>> is_allowed("Monday", "tests/t.py:3", a), is_allowed("Quimberly", "tests/t.py:3", a)
    (True, False)
    """
    if word not in allowed:
        return False
    return place.startswith(tuple(allowed[word][1].split()) or ("",))


def mask_allowed_fragments(line: str, place: str) -> str:
    """``line`` with the strings of :data:`ALLOWED_FRAGMENTS` that apply at ``place`` blanked (a row with no
    strings blanks the whole line).

    >>> mask_allowed_fragments("店にお問い合わせいただきありがとうございます。", "tests/t.py:3")
    '店に                    。'
    >>> mask_allowed_fragments("彼は工場を開いた。", "tests/test_sample_golden.py:9")
    ''
    """
    low = line.lower()
    for strings, _reason, *scope in ALLOWED_FRAGMENTS:
        if scope and not place.startswith(tuple(scope[0].split())):
            continue
        if not strings:
            return ""
        for allowed in strings.split("|"):
            start = low.find(allowed)
            while start >= 0:
                line = line[:start] + " " * len(allowed) + line[start + len(allowed) :]
                low = line.lower()
                start = low.find(allowed, start + len(allowed))
    return line


def japanese_windows(text: str) -> Iterator[tuple[int, str]]:
    """(offset, window) for each :data:`JA_WINDOW`-character window of the Japanese runs of ``text``.

    >>> [w for _, w in japanese_windows("x = 'あいうえおかきくけこさしすせそ'")]
    ['あいうえおかきくけこさしすせ', 'いうえおかきくけこさしすせそ']
    """
    for run in JA_RUN.finditer(text):
        for i in range(run.end() - run.start() - JA_WINDOW + 1):
            yield run.start() + i, run.group()[i : i + JA_WINDOW]


def english_windows(text: str) -> Iterator[str]:
    """Each run of :data:`EN_WINDOW` words of ``text``, lower-cased and joined by one space.

    >>> list(english_windows("One two Three four five six seven eight"))
    ['one two three four five six seven', 'two three four five six seven eight']
    """
    words = [w.lower() for w in EN_WORD.findall(text)]
    for i in range(len(words) - EN_WINDOW + 1):
        yield " ".join(words[i : i + EN_WINDOW])


class Fragments:
    """The windows of the reference texts (hashed), to find a sentence copied from one of them.

    >>> f = Fragments()
    >>> f.add("ref.txt", "村の図書館は月曜日に再び開館する予定だ。")
    >>> list(f.find(Path("t.py"), "# 図書館は月曜日に再び開館する予定だと聞いた\\nx = 1\\n"))
    [('図書館は月曜日に再び開館する', 't.py:1')]
    >>> f.where("図書館は月曜日に再び開館する")
    'ref.txt'
    """

    def __init__(self) -> None:
        self.windows: set[int] = set()
        self.texts: list[tuple[str, str]] = []

    def add(self, name: str, text: str) -> None:
        self.texts.append((name, text))
        self.windows.update(hash(w) for _, w in japanese_windows(text))
        for line in text.splitlines():
            self.windows.update(hash(w) for w in english_windows(line))

    def find(self, path: Path, text: str) -> Iterator[tuple[str, str]]:
        """(fragment, ``path:line``): the first window of each line that a reference text has, the allowed
        fragments (:func:`mask_allowed_fragments`) left out."""
        for number, line in enumerate(text.splitlines(), 1):
            line = mask_allowed_fragments(line, f"{path}:{number}")
            hit = next((w for _, w in japanese_windows(line) if hash(w) in self.windows), None)
            if hit is None:
                hit = next((w for w in english_windows(line) if hash(w) in self.windows), None)
            if hit is not None:
                yield hit, f"{path}:{number}"

    def where(self, fragment: str) -> str:
        """The name of a reference text that holds ``fragment`` (English compared lower-cased, by words)."""
        for name, text in self.texts:
            if fragment in text or fragment in " ".join(w.lower() for w in EN_WORD.findall(text)):
                return name
        return "?"


def dev_folders() -> list[Path]:
    """The dev data folders that exist (WMT22 and WMT21 dev)."""
    shared = _shared_data()
    folders = [
        Path(os.environ.get("WMT22_DEV", shared / "wmt22-enja-dev")),
        Path(os.environ.get("WMT21_DEV", shared / "wmt21-enja-dev")),
    ]
    return [f for f in folders if f.is_dir()]


def reference_files(folders: Iterable[Path]) -> Iterator[Path]:
    """Every text file of the dev folders and of ``corpus/`` (the texts no name may come from)."""
    for folder in [*folders, ROOT / "corpus"]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".txt", ".jsonl"} and not path.name.startswith(tuple(MADE_UP)):
                yield path


class Vocabulary:
    """What the reference texts write: capitalised Latin words, lower-case words, katakana runs.

    >>> v = Vocabulary()
    >>> v.add("Zorbleton met the zorbleton crowd at Quimberly. クイムベリーに着いた。")
    >>> v.is_name("Quimberly"), v.is_name("QUIMBERLY"), v.is_name("Zorbleton"), v.is_name("Nobody")
    (True, True, False, False)
    >>> v.is_name("クイムベリー"), v.is_name("クイムベ")
    (True, False)
    """

    def __init__(self) -> None:
        self.capitalised: Counter[str] = Counter()
        self.lower: set[str] = set()
        self.katakana: Counter[str] = Counter()

    def add(self, text: str) -> None:
        self.capitalised.update(w.lower() for w in LATIN.findall(text))
        self.lower.update(LOWER.findall(text))
        self.katakana.update(KATAKANA.findall(text))

    def count(self, word: str) -> int:
        """How often the reference texts have ``word`` (capitalised Latin, any case; katakana as is)."""
        if KATAKANA.fullmatch(word):
            return self.katakana[word]
        return self.capitalised[word.lower()]

    def is_name(self, word: str) -> bool:
        """True when the reference texts have ``word`` and it is not a common word they write in lower case."""
        if KATAKANA.fullmatch(word):
            return word in self.katakana
        key = word.lower()
        return key in self.capitalised and key not in self.lower


def scanned_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files under ``paths`` this script reads (see :data:`SCANNED_SUFFIXES`, :data:`SKIPPED_DIRS`)."""
    for top in paths:
        candidates = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in candidates:
            if not path.is_file() or path.suffix not in SCANNED_SUFFIXES:
                continue
            if any(part in SKIPPED_DIRS for part in path.relative_to(top).parts[:-1]):
                continue
            yield path


def repository_of(path: Path) -> Path:
    """The folder above ``path`` that holds ``pyproject.toml`` (places are shown relative to it), else ``/``."""
    for folder in path.parents:
        if (folder / "pyproject.toml").is_file():
            return folder
    return Path(path.anchor)


def find_words(path: Path, text: str, vocabulary: Vocabulary) -> Iterator[tuple[str, str]]:
    """(word, ``path:line``) for each word of ``text`` that :meth:`Vocabulary.is_name` accepts.

    >>> v = Vocabulary()
    >>> v.add("Quimberly and クイムベリー.")
    >>> list(find_words(Path("t.py"), "x = 1\\n# Quimberly (クイムベリー), not Zorbleton\\n", v))
    [('Quimberly', 't.py:2'), ('クイムベリー', 't.py:2')]
    """
    for number, line in enumerate(text.splitlines(), 1):
        for word in LATIN.findall(line) + KATAKANA.findall(line):
            if vocabulary.is_name(word):
                yield word, f"{path}:{number}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="files or folders to read (default: pipeline tests)")
    parser.add_argument("--allowed", action="store_true", help="also list the allowlisted words found, with the reason")
    parser.add_argument("--where", type=int, default=3, help="places shown per word (default 3)")
    args = parser.parse_args(argv)

    folders = dev_folders()
    if not folders:
        print("note: the dev data is absent (set WMT22_DEV / WMT21_DEV); nothing checked")
        return 0
    vocabulary = Vocabulary()
    fragments = Fragments()
    for path in reference_files(folders):
        text = path.read_text(encoding="utf-8", errors="replace")
        vocabulary.add(text)
        fragments.add(f"{path.parent.name}/{path.name}", text)

    paths = [Path(p).resolve() for p in args.paths] or [ROOT / "pipeline", ROOT / "tests"]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    places: dict[str, list[str]] = {}
    copied: list[tuple[str, str]] = []
    for path in scanned_files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        shown = path.relative_to(repository_of(path))
        for word, place in find_words(shown, text, vocabulary):
            places.setdefault(word, []).append(place)
        copied.extend(fragments.find(shown, text))

    allowed = allowed_words()
    flagged = {w: [p for p in where if not is_allowed(w, p, allowed)] for w, where in places.items()}
    found = sorted((w for w in flagged if flagged[w]), key=lambda w: (flagged[w][0], w))
    for word in found:
        where = flagged[word]
        more = f" (+{len(where) - args.where} more)" if len(where) > args.where else ""
        print(f"{word}\t{', '.join(where[: args.where])}{more}\tdev/corpus: {vocabulary.count(word)}x")
    if args.allowed:
        for word in sorted(w for w in places if w in allowed):
            kept = len(places[word]) - len(flagged[word])
            print(f"allowed\t{word}\t{kept} places\t{allowed[word][0]}")
    for fragment, place in copied:
        print(f"sentence\t{place}\t{fragment}\t{fragments.where(fragment)}")
    print(
        f"{len(found)} word(s) and {len(copied)} sentence fragment(s) of the dev data or corpus/ outside the allowlist",
        file=sys.stderr,
    )
    return 1 if found or copied else 0


if __name__ == "__main__":
    sys.exit(main())
