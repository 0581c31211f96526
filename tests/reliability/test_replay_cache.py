"""The CDS Hooks JWT replay cache forgets expired token ids in expiry order, without scanning every
remembered id per request (the scan made sustained load quadratic; docs/reliability.md)."""

from __future__ import annotations

import pytest

from alsdx.api.cds.auth import AuthError, JwtVerifier
from alsdx.api.cds.settings import CdsSettings

LEEWAY = CdsSettings().leeway_seconds


def test_a_replay_within_the_lifetime_is_rejected():
    v = JwtVerifier(CdsSettings())
    v._remember("iss", "a", exp=1_000.0, now=900.0)
    with pytest.raises(AuthError, match="replay"):
        v._remember("iss", "a", exp=1_000.0, now=999.0)
    v._remember("other-iss", "a", exp=1_000.0, now=999.0)  # jti is per issuer


def test_expired_ids_are_forgotten_in_expiry_order_and_live_ones_kept():
    v = JwtVerifier(CdsSettings())
    for i, exp in enumerate([500.0, 100.0, 300.0, 200.0, 400.0]):
        v._remember("iss", f"t{i}", exp=exp, now=0.0)
    v._remember("iss", "probe-1", exp=10_000.0, now=250.0 + LEEWAY + 1)  # 100 and 200 are past exp + leeway
    assert set(v._seen) == {("iss", "t0"), ("iss", "t2"), ("iss", "t4"), ("iss", "probe-1")}
    v._remember("iss", "probe-2", exp=10_000.0, now=10_000.0)
    assert set(v._seen) == {("iss", "probe-1"), ("iss", "probe-2")}
    assert sorted(key for _, key in v._expiry) == sorted(v._seen)


def test_the_exact_expiry_boundary_keeps_the_id():
    v = JwtVerifier(CdsSettings())
    v._remember("iss", "edge", exp=100.0, now=0.0)
    v._remember("iss", "probe", exp=1_000.0, now=100.0 + LEEWAY)  # not yet past exp + leeway
    with pytest.raises(AuthError, match="replay"):
        v._remember("iss", "edge", exp=100.0, now=100.0 + LEEWAY)
