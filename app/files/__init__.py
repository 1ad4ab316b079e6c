"""Files uploaded by users (CVs, signed conventions), kept in the database."""
