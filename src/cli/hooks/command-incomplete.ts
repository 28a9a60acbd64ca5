import { type Hook, loadHelpClass } from '@oclif/core';

/** `poly config` on its own: show the topic's commands, as `poly help config` does. */
const hook: Hook.CommandIncomplete = async (options) => {
  const Help = await loadHelpClass(options.config);
  await new Help(options.config, options.config.pjson.oclif.helpOptions ?? {}).showHelp(
    options.id.split(':'),
  );
  return true;
};

export default hook;
