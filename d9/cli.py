"""The `d9` command (placeholder until the CLI lands)."""


def main() -> int:
    return 0
