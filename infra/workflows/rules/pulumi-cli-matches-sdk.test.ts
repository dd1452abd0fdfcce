import { describeBreakages, editText } from '../testing/breakages';
import { pulumiCliMatchesSdk } from './pulumi-cli-matches-sdk';

describeBreakages(pulumiCliMatchesSdk, [
  {
    how: 'the SDK moves on without the CLI',
    edit: editText('infra/package.json', (text) =>
      text.replace(/"@pulumi\/pulumi": "[^"]+"/, '"@pulumi/pulumi": "3.999.0"'),
    ),
    expected:
      /\.\/\.github\/actions\/pulumi: installs Pulumi 3\.248\.0, the program uses @pulumi\/pulumi 3\.999\.0/,
  },
]);
