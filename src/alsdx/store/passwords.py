"""The password policy: long enough, and not a common or easily guessed password.

Guessability is estimated by zxcvbn (the Python port of Dropbox's estimator; its frequency lists hold the
most common leaked passwords, English words and names, keyboard patterns, dates and sequences). A
password must reach zxcvbn score 2 ("protection from unthrottled online attacks", at least ~10^6
guesses): that refuses "password1234", "qwertyuiop", "P@ssw0rd123" or "letmein2024", while log-in
throttling (alsdx.store.throttle) covers the online side. The name of the account counts as a known word.
"""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 1000
MIN_SCORE = 2
SCORED_PREFIX = 72
"""zxcvbn refuses longer inputs (its matching is quadratic); the first 72 characters are scored."""


class PasswordPolicyError(ValueError):
    """The password does not meet the policy; the message says why and what to choose instead."""


def check_password_policy(password: str, user_inputs: Sequence[str] = ()) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(f"at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"at most {MAX_LENGTH} characters")
    if "\x00" in password:
        raise PasswordPolicyError("NUL characters are not allowed")
    result = zxcvbn(password[:SCORED_PREFIX], user_inputs=[u for u in user_inputs if u])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "it is a common or easily guessed password"
        raise PasswordPolicyError(
            f"too easy to guess ({hint.rstrip('.')}); choose a longer passphrase of unrelated words"
        )
