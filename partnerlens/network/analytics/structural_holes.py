# ruff: noqa: RUF002  (mathematical notation)
"""Burt's structural holes: constraint and effective size, on the weighted undirected graph.

With w_ij the pair's weight (``graph.weighted_pairs``: deepest level, symmetric), N(i) the
organisation's partners, p_ij = w_ij / Σ_k w_ik (the share of i's ties invested in j) and
m_jq = w_jq / max_k w_jk (j's tie to q relative to j's strongest):

    constraint(i)     = Σ_{j∈N(i)} ( p_ij + Σ_{q∈N(i), q≠i,j} p_iq p_qj )²
    effective_size(i) = Σ_{j∈N(i)} ( 1 − Σ_{q∈N(i), q≠i,j} p_iq m_jq )

(Burt 1992, as networkx computes them.) In matrix form, with A the 0/1 pattern of W:
constraint = rowsum( (P + (P·P)∘A)² ) and effective size = deg − rowsum( P ∘ (A·M) ); two sparse
products, so the whole graph takes well under a second. An organisation with no partner has
neither measure (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class StructuralHoles:
    constraint: np.ndarray  # float64 per node, NaN without partners
    effective_size: np.ndarray  # float64 per node, NaN without partners


def _row_scale(matrix: sparse.csr_matrix, factor: np.ndarray) -> sparse.csr_matrix:
    return sparse.diags(factor) @ matrix


def structural_holes(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> StructuralHoles:
    """From ``weighted_pairs``: each unordered pair once, positive weights."""
    if n == 0:  # scipy cannot take the row maxima of an empty matrix
        return StructuralHoles(constraint=np.empty(0), effective_size=np.empty(0))
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    vals = np.concatenate([w, w]).astype(np.float64)
    W = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    W.sum_duplicates()
    A = W.copy()
    A.data[:] = 1.0
    degree = np.diff(W.indptr).astype(np.float64)
    strength = np.asarray(W.sum(axis=1)).ravel()
    has = degree > 0
    P = _row_scale(W, np.where(has, 1.0 / np.where(has, strength, 1.0), 0.0)).tocsr()
    top = W.max(axis=1).toarray().ravel()
    M = _row_scale(W, np.where(has, 1.0 / np.where(has, top, 1.0), 0.0)).tocsr()

    indirect = (P @ P).multiply(A)
    C = (P + indirect).tocsr()
    constraint = np.asarray(C.multiply(C).sum(axis=1)).ravel()
    redundancy = np.asarray(P.multiply(A @ M).sum(axis=1)).ravel()
    effective = degree - redundancy
    constraint[~has] = np.nan
    effective[~has] = np.nan
    return StructuralHoles(constraint=constraint, effective_size=effective)
