"""People and roles: the user model, the academic structure (institution → campus → college →
department → major) and staff scope. Its own app because every other app depends on it and it
has its own models and admin pages; students' profiles live in careers/."""
