/** What the analysis of `fixtures/app` counts: the in-process and the built-bin tests hold both to it. */
export const APP_COUNTS = {
  files: 6,
  components: 3,
  props: 5,
  byTier: { value: 3, structural: 1, none: 1 },
  patchableShare: 0.8,
  refusals: { SPLICE030: 1 },
  replayedHooks: { 'useTranslations (next-intl)': 1 },
};
