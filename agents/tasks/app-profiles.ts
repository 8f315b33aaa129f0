// First-run settings written into a sandbox's fresh HOME before an app starts, so it opens straight
// to work as on OSWorld's prepared VM: no welcome wizard, no "keep current format?" question on save.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const item = (path: string, prop: string, type: string, value: string) =>
  `<item oor:path="${path}"><prop oor:name="${prop}" oor:op="fuse"><value>${value}</value></prop></item>`;

/** LibreOffice's user profile: saving in Word/Excel/PowerPoint format without a dialog, no first-start wizard, no tips. */
export async function prepareLibreOffice(env: Record<string, string | undefined>): Promise<void> {
  // Sandboxes have their own XDG folders: LibreOffice's profile is under XDG_CONFIG_HOME.
  const config = env['XDG_CONFIG_HOME'] ?? join(env['HOME'] ?? '.', '.config');
  const dir = join(config, 'libreoffice', '4', 'user');
  const file = join(dir, 'registrymodifications.xcu');
  // A profile the task or an earlier launch made is left as it is.
  if (existsSync(file)) return;
  await mkdir(dir, { recursive: true });
  const items = [
    item('/org.openoffice.Office.Common/Save/Document', 'WarnAlienFormat', 'xs:boolean', 'false'),
    item('/org.openoffice.Office.Common/Misc', 'FirstRun', 'xs:boolean', 'false'),
    item('/org.openoffice.Office.Common/Misc', 'ShowTipOfTheDay', 'xs:boolean', 'false'),
    item('/org.openoffice.Setup/Office', 'FirstStartWizardCompleted', 'xs:boolean', 'true'),
    item('/org.openoffice.Office.Common/Help/StartCenter', 'ShowTemplates', 'xs:boolean', 'false'),
  ];
  await writeFile(file, `<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${items.join('\n')}\n</oor:items>\n`);
}
