import { describeBreakages, editText, workflow } from '../testing/breakages';
import { releaseTagsWithStartingToken } from './release-tags-with-starting-token';

const release = (edit: (text: string) => string) => editText(workflow('release.yml'), edit);
const STARTS_NO_DEPLOY =
  /release\.yml job release: uses GITHUB_TOKEN, so the tag it creates would start no deploy/;

describeBreakages(releaseTagsWithStartingToken, [
  {
    how: 'the tag would be created with secrets.GITHUB_TOKEN',
    edit: release((t) => t.replace('secrets.RELEASE_TOKEN', 'secrets.GITHUB_TOKEN')),
    expected: STARTS_NO_DEPLOY,
  },
  {
    how: 'the tag would be created with github.token',
    edit: release((t) => t.replace('${{ secrets.RELEASE_TOKEN }}', '${{ github.token }}')),
    expected: STARTS_NO_DEPLOY,
  },
  {
    how: 'GITHUB_TOKEN reaches the job some other way',
    edit: release((t) =>
      t.replace(
        '          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}',
        '          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}\n          OTHER: ${{ secrets.GITHUB_TOKEN }}',
      ),
    ),
    expected: STARTS_NO_DEPLOY,
  },
  {
    how: 'the tagging step has no token of its own (gh would use whatever it finds)',
    edit: release((t) => t.replace('          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}\n', '')),
    expected:
      /release\.yml job release: creates the release tag without a secret token of its own \(GH_TOKEN\)/,
  },
  {
    how: 'no job creates the release tag',
    edit: release((t) => t.replace('run: npm run release', 'run: echo none')),
    expected: /no job creates the release tag/,
  },
]);
