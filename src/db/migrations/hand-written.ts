/**
 * Database objects that hand-written revisions create and the models cannot describe.
 * Schema drift checks leave them alone (docs/decisions/0002-migration-pitfalls.md, rule 6).
 */
export const HAND_WRITTEN_OBJECTS = ['ix_user_username_lower'];
