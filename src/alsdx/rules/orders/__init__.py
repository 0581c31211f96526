"""Kernels for checks made when an order is placed (CDS Hooks order-select)."""
