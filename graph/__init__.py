"""Events to graph: merge event mentions into Actor/Event/Document nodes, store, query, export."""
