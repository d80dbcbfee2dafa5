"""The sweep: the scheduler's tick and its steps, which plan from the store and deliver through the outbox."""
