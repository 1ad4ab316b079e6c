"""What every blueprint shares: rendering, access checks, errors, headers, pagination."""
