// Conventional Commits on every pull request (ci-checks `commits`), so changelogs and versions
// can be derived from history.
export default { extends: ['@commitlint/config-conventional'] };
