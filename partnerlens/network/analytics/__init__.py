"""Pure network analytics (issue 15): numpy/scipy/igraph only, never Django (see
docs/methods.md, "The partnership network (issue 15)").

- ``graph``: the input, a frozen ``Network`` of numpy arrays (nodes, dated ties, memberships),
  sliced to one date by ``Network.at``; ``weighted_pairs`` folds ties into one weighted graph.
- ``organisations``: per-organisation measures (collaborations, types, strongest level, trust
  and value given and received, isolation and since when).
- ``structural_holes``: Burt's constraint and effective size.
- ``betweenness``: exact, or a pivot-sampled estimate with its standard error.
- ``partnerships``: per-partnership density, ties returned, depth, core–periphery, response rate.
- ``system``: connected components and isolated schools by area.

Every function returns numbers and codes, never sentences.
"""
