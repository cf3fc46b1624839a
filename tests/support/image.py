"""What the image would contain, without a Docker engine: the files the Dockerfile COPYs from
the build context, minus those .dockerignore leaves out (Docker's rules: patterns relative to
the context, `*` within a name, `**` across folders, `!` to let a path back in, the last
matching line wins, and a left-out folder leaves out everything in it)."""

import os
import re
import shlex
import shutil
from pathlib import Path


def copy_sources(dockerfile: Path) -> list[str]:
    """The context paths named by the COPY lines (not COPY --from, which copies from a stage)."""
    sources: list[str] = []
    text = dockerfile.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        words = shlex.split(line.strip(), comments=True)
        if not words or words[0].upper() not in {"COPY", "ADD"}:
            continue
        args = [w for w in words[1:] if not w.startswith("--")]
        if any(w.startswith("--from") for w in words[1:]):
            continue
        sources += args[:-1]  # the last one is the destination
    return sources


def _regex(pattern: str) -> re.Pattern:
    parts = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            parts.append(".*")
            i += 2
            if pattern.startswith("/", i):
                i += 1
                parts[-1] = "(?:.*/)?"
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("^" + "".join(parts) + "$")


def ignore_rules(dockerignore: Path) -> list[tuple[bool, re.Pattern]]:
    rules = []
    if not dockerignore.exists():
        return rules
    for raw in dockerignore.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        pattern = re.sub(r"^\./", "", pattern)
        rules.append((keep, _regex(pattern)))
    return rules


def ignored(path: str, rules) -> bool:
    """Docker's verdict for a path relative to the context."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        verdict = None
        for keep, regex in rules:
            if regex.match(prefix):
                verdict = not keep
        if verdict and depth < len(parts):
            return True  # a left-out folder leaves out all it holds
        if depth == len(parts):
            return bool(verdict)
    return False


def image_files(context: Path) -> list[str]:
    """Relative paths of every file the image gets from the context."""
    rules = ignore_rules(context / ".dockerignore")
    found: set[str] = set()
    for source in copy_sources(context / "Dockerfile"):
        root = (context / source).resolve()
        if root.is_file():
            relative = root.relative_to(context.resolve()).as_posix()
            if not ignored(relative, rules):
                found.add(relative)
            continue
        for folder, subfolders, names in os.walk(root):
            here = Path(folder).relative_to(context.resolve()).as_posix()
            here = "" if here == "." else here + "/"
            # Do not even walk into what the image leaves out (.venv, .git, media…).
            subfolders[:] = [d for d in subfolders if not ignored(here + d, rules)]
            found.update(here + name for name in names if not ignored(here + name, rules))
    return sorted(found)


def build_context_copy(context: Path, target: Path) -> list[str]:
    """Lay the image's files out under target, as the Dockerfile's COPY lines would."""
    files = image_files(context)
    for relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(context / relative, destination)
    return files
