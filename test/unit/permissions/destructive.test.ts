// The classifier that puts Deny first in an approval question: commands that delete, overwrite,
// rewrite history or change permissions are destructive; ordinary reads and builds are not; what
// cannot be read counts as destructive.
import assert from 'node:assert/strict';
import { destructiveReason } from '../../../src/agent/permissions/destructive';

const DESTRUCTIVE: [command: string, why: RegExp][] = [
  ['rm -rf build', /rm deletes/],
  ['/bin/rm x', /rm deletes/],
  ['mv a.txt b.txt', /mv moves/],
  ['cp new.txt old.txt', /cp copies/],
  ['git reset --hard HEAD~1', /git reset/],
  ['git clean -fdx', /git clean/],
  ['git push --force origin main', /git push/],
  ['git push -f', /git push/],
  ['git push origin +main', /git push/],
  ['git push --force-with-lease', /git push/],
  ['git checkout -- src/a.ts', /git checkout/],
  ['git branch -D feature', /git branch/],
  ['git stash drop', /git stash/],
  ['chmod 777 secret', /chmod/],
  ['chown root x', /chown/],
  ['dd if=/dev/zero of=disk.img', /dd writes/],
  ['truncate -s 0 log.txt', /truncate/],
  ['echo hi > notes.md', /`>` overwrites notes\.md/],
  ['cat a >| b', /`>\|` overwrites b/],
  ['npm test &> out.log', /`&>` overwrites out\.log/],
  ['sed -i s/a/b/ file.txt', /sed -i/],
  ['perl -pi -e s/a/b/ f', /perl -i/],
  ['find . -name "*.tmp" -delete', /find/],
  ['ls | xargs rm', /rm deletes/],
  ['sudo apt install x', /sudo/],
  ['nohup rm -rf / &', /rm deletes/],
  ['env FOO=1 rm x', /rm deletes/],
  ['echo ok && rm x', /rm deletes/],
  ['tee out.txt', /tee overwrites/],
  ['ln -sf a b', /ln -f/],
  ['eval "$CMD"', /cannot be seen/],
  ['$TOOL --flag', /chosen at run time|cannot be seen/],
  ['kill -9 123', /kill/],
  ['echo "open', /cannot be read/],
];

const HARMLESS = [
  'npm run lint',
  'git status --short',
  'git log --oneline -5',
  'git push origin main',
  'git checkout -b feature',
  'ls -la',
  'cat README.md',
  'echo hi >> notes.md',
  'npm test > /dev/null 2>&1',
  'grep -rn TODO src',
  'tee -a log.txt',
  'sed -n 1,5p file.txt',
  'find . -name "*.ts"',
  'touch new.txt',
];

describe('permissions/destructiveReason', () => {
  for (const [command, why] of DESTRUCTIVE) {
    it(`${JSON.stringify(command)} is destructive`, () => {
      const reason = destructiveReason(command);
      assert.ok(reason, 'a reason');
      assert.match(reason, why);
    });
  }
  for (const command of HARMLESS) {
    it(`${JSON.stringify(command)} is not`, () => assert.equal(destructiveReason(command), undefined));
  }
});
