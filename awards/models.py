"""Rewards for adopted proposers, 이달의 상상지기 and the yearly best creative policies (issue 13, the incentives part)."""
