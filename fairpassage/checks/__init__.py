"""Fee checks and (later) earnings plans: the law engine applied to a worker's real case."""
