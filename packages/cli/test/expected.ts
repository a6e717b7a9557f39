/** What the analysis of `fixtures/app` counts: the in-process and the built-bin tests hold both to it. */
export const APP_COUNTS = {
  files: 6,
  components: 3,
  props: 6,
  byTier: { value: 3, structural: 1, none: 2 },
  patchableShare: 0.6667,
  renderedProps: 5,
  renderedShare: 0.8,
  refusals: { SPLICE030: 1, SPLICE036: 1 },
  replayedHooks: { 'useTranslations (next-intl)': 1 },
};
