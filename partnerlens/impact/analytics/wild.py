# ruff: noqa: RUF002, RUF003  (mathematical notation: Greek letters, minus and times signs)
"""Least squares with school fixed effects, CR1 cluster-robust errors and the wild cluster
bootstrap (restricted, WCR), all vectorised.

School effects are absorbed by the within transformation (each column minus its school mean);
year effects and the treatment terms are ordinary columns, so the two-way model is exact on an
unbalanced panel (Frisch-Waugh-Lovell). Clusters are schools.

CR1 (Cameron, Gelbach & Miller 2008; Cameron & Miller 2015):
``V = c · A (Σ_g s_g s_g') A`` with ``A = (X'X)⁻¹``, ``s_g = X_g' û_g`` and
``c = G/(G−1) · (N−1)/(N−K)``; intervals use t(G−1).

Wild cluster bootstrap, null imposed (WCR; Cameron, Gelbach & Miller 2008; Roodman, MacKinnon,
Nielsen & Webb 2019, "Fast and wild"): for H0: β_j = t0 the restricted residuals
``u_r(t0) = M_r y − t0 · M_r x_j`` are linear in t0, so with one matrix of weights ``W`` (G × B)
every bootstrap numerator and CR1 variance is a polynomial in t0 (degree 1 and 2). The p-value
at any t0 costs O(B), and the interval is found by inverting the test (bisection on each side).
Rademacher weights, or Webb's six-point weights when there are few clusters (Webb 2014).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse, stats

WEBB_BELOW_CLUSTERS = 12  # Webb (2014): Rademacher has too few distinct draws below ~12
_WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


@dataclass(frozen=True)
class Design:
    """Within-transformed data: ``X`` (N × K), ``y`` (N), cluster membership (sparse N × G)."""

    X: np.ndarray
    y: np.ndarray
    member: sparse.csr_matrix
    clusters: int

    @property
    def n(self) -> int:
        return len(self.y)

    def cluster_sums(self, values: np.ndarray) -> np.ndarray:
        return np.asarray(self.member.T @ values)


def within(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Each column of ``values`` minus its mean over the rows sharing a code (0..G−1)."""
    groups = int(codes.max()) + 1 if len(codes) else 0
    member = sparse.csr_matrix(
        (np.ones(len(codes)), (np.arange(len(codes)), codes)), shape=(len(codes), groups)
    )
    counts = np.asarray(member.sum(axis=0)).ravel()
    means = np.asarray(member.T @ values) / np.maximum(counts, 1)[:, None]
    return values - np.asarray(member @ means), member


@dataclass(frozen=True)
class Fit:
    beta: np.ndarray
    A: np.ndarray  # (X'X)⁻¹
    resid: np.ndarray
    scores: np.ndarray  # G × K cluster scores X_g' û_g
    c: float  # CR1 small-sample factor

    def vcov(self) -> np.ndarray:
        meat = self.scores.T @ self.scores
        return self.c * self.A @ meat @ self.A


def fit(design: Design) -> Fit:
    X, y = design.X, design.y
    A = np.linalg.pinv(X.T @ X)
    beta = A @ (X.T @ y)
    resid = y - X @ beta
    scores = design.cluster_sums(X * resid[:, None])
    G, N, K = design.clusters, design.n, X.shape[1]
    c = G / max(G - 1, 1) * (N - 1) / max(N - K, 1)
    return Fit(beta, A, resid, scores, c)


def cr1_interval(design: Design, result: Fit, j: int, level: float = 0.95) -> tuple:
    """(estimate, se, low, high, p) for coefficient ``j`` with CR1 and t(G−1)."""
    se = float(np.sqrt(max(result.vcov()[j, j], 0.0)))
    estimate = float(result.beta[j])
    df = max(design.clusters - 1, 1)
    q = stats.t.ppf(0.5 + level / 2, df)
    p = float(2 * stats.t.sf(abs(estimate / se), df)) if se > 0 else float("nan")
    return estimate, se, estimate - q * se, estimate + q * se, p


def _mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b without BLAS threads: on a busy machine their start-up cost 100 times the sum."""
    return np.einsum("ik,kj->ij", a, b)


def weights(clusters: int, replications: int, rng: np.random.Generator) -> tuple:
    """(kind, G × B matrix): Rademacher, or Webb's six points below WEBB_BELOW_CLUSTERS."""
    if clusters < WEBB_BELOW_CLUSTERS:
        return "webb", _WEBB[rng.integers(0, 6, size=(clusters, replications))]
    signs = rng.integers(0, 2, size=(clusters, replications), dtype=np.int8)
    return "rademacher", signs.astype(float) * 2.0 - 1.0


def _restricted_residuals(design: Design, columns: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Residuals of y and of each tested column on the other columns (M_r y, M_r X_J)."""
    X = design.X
    keep = [i for i in range(X.shape[1]) if i not in columns]
    Xr = X[:, keep]
    targets = np.column_stack([design.y, X[:, columns]])
    if Xr.shape[1]:
        coef = np.linalg.lstsq(Xr, targets, rcond=None)[0]
        targets = targets - Xr @ coef
    return targets[:, 0], targets[:, 1:]


class WildTest:
    """The WCR bootstrap of one coefficient, as a function of the hypothesised value t0.

    With ``T(t0) = T0 − t0·T1`` the per-cluster bootstrap scores (G × B), the sums of squares
    ``Σ_g T0², Σ_g T0·T1, Σ_g T1²`` are expanded so that only one product with ``W`` is formed:
    ``T0 = W∘q0 − M·Z0`` gives ``Σ_g T0² = Σ_g W²q0² − 2 Σ_k Z0∘P0 + Z0'(M'M)Z0`` with
    ``Z0 = S0'W`` and ``P0 = (q0∘M)'W``; likewise for T1 and the cross term.
    """

    def __init__(self, design: Design, result: Fit, j: int, W: np.ndarray) -> None:
        u0, uD = _restricted_residuals(design, [j])
        X, a = design.X, result.A[j]
        S0 = design.cluster_sums(X * u0[:, None])
        SD = design.cluster_sums(X * uD[:, 0][:, None])
        M = design.cluster_sums(X * (X @ a)[:, None]) @ result.A  # rows: a X_g'X_g A
        q0, qD = S0 @ a, SD @ a
        k = X.shape[1]
        stacked = np.column_stack([S0, SD, q0[:, None] * M, qD[:, None] * M, q0, qD])
        R = _mm(stacked.T, W)
        Z0, Z1, P0, P1 = R[:k], R[k : 2 * k], R[2 * k : 3 * k], R[3 * k : 4 * k]
        self.n0, self.n1 = R[4 * k], R[4 * k + 1]
        MtM = M.T @ M
        if np.all(np.abs(W) == 1.0):
            w00, w01, w11 = q0 @ q0, q0 @ qD, qD @ qD
        else:
            squares = _mm(np.column_stack([q0 * q0, q0 * qD, qD * qD]).T, W * W)
            w00, w01, w11 = squares
        self.q00 = w00 - 2 * np.einsum("kb,kb->b", Z0, P0) + np.einsum("kb,kl,lb->b", Z0, MtM, Z0)
        self.q01 = (
            w01
            - np.einsum("kb,kb->b", Z1, P0)
            - np.einsum("kb,kb->b", Z0, P1)
            + np.einsum("kb,kl,lb->b", Z0, MtM, Z1)
        )
        self.q11 = w11 - 2 * np.einsum("kb,kb->b", Z1, P1) + np.einsum("kb,kl,lb->b", Z1, MtM, Z1)
        self.c = result.c
        self.estimate = float(result.beta[j])
        self.se = float(np.sqrt(max(result.vcov()[j, j], 0.0)))

    def p_value(self, t0: float) -> float:
        observed = abs(self.estimate - t0) / self.se
        var = self.c * (self.q00 - 2 * t0 * self.q01 + t0 * t0 * self.q11)
        boot = np.abs(self.n0 - t0 * self.n1) / np.sqrt(np.maximum(var, 1e-300))
        return float(np.mean(boot >= observed - 1e-12))

    def interval(self, level: float = 0.95, steps: int = 24) -> tuple[float, float]:
        """Test inversion: the t0 where the p-value crosses 1 − level, found by bisection to
        within ``se · 2^−steps`` of the bracket (the p-value is a step function of t0)."""
        alpha = 1 - level
        return self._bound(-1, alpha, steps), self._bound(1, alpha, steps)

    def _bound(self, side: int, alpha: float, steps: int) -> float:
        inside, span = self.estimate, self.se
        outside = self.estimate + side * span
        for _ in range(60):
            if self.p_value(outside) <= alpha:
                break
            inside, outside = outside, outside + side * span
            span *= 2
        else:
            return float(side * np.inf)
        for _ in range(steps):
            middle = (inside + outside) / 2
            if self.p_value(middle) > alpha:
                inside = middle
            else:
                outside = middle
        return (inside + outside) / 2


def wald(design: Design, result: Fit, columns: list[int]) -> tuple[float, float]:
    """(Wald statistic with CR1, p from F(L, G−1) on W/L) for β_J = 0."""
    b = result.beta[columns]
    V = result.vcov()[np.ix_(columns, columns)]
    statistic = float(b @ np.linalg.pinv(V) @ b)
    L = len(columns)
    return statistic, float(stats.f.sf(statistic / L, L, max(design.clusters - 1, 1)))


def wild_wald(design: Design, result: Fit, columns: list[int], W: np.ndarray) -> float:
    """WCR bootstrap p-value of the joint Wald test β_J = 0 (null imposed)."""
    observed, _ = wald(design, result, columns)
    u0, _ = _restricted_residuals(design, columns)
    X, AJ = design.X, result.A[columns]  # L × K
    S = design.cluster_sums(X * u0[:, None])  # G × K
    SW = _mm(S.T, W)  # K × B
    numerators = _mm(AJ, SW)  # L × B
    T = np.empty((len(columns), *W.shape))
    for row, a in enumerate(AJ):
        M = design.cluster_sums(X * (X @ a)[:, None]) @ result.A
        T[row] = W * (S @ a)[:, None] - _mm(M, SW)
    L = len(columns)
    V = np.empty((W.shape[1], L, L))
    for l_ in range(L):  # pairwise sums: a three-operand einsum here was slower than all else
        for m in range(l_, L):
            V[:, l_, m] = V[:, m, l_] = result.c * np.einsum("gb,gb->b", T[l_], T[m])
    V += np.eye(L) * 1e-12 * np.trace(V, axis1=1, axis2=2)[:, None, None]
    solved = np.linalg.solve(V, numerators.T[..., None])[..., 0]
    boot = np.einsum("bl,bl->b", numerators.T, solved)
    return float(np.mean(boot >= observed - 1e-9))
