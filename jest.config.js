// One jest project per package: `npx jest --selectProjects edge` runs one of them.
// Tests import sibling packages from source (`src/`), so a unit test never needs a build;
// tests that drive webpack or a real worker use the built `dist/` (npm test builds first).
const path = require('path');

const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic' } },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const moduleNameMapper = {
  '^@splice/client/render$': path.join(__dirname, 'packages/client/src/render.ts'),
  '^@splice/(manifest|compiler|webpack-plugin|edge|client|dev|cli)$': path.join(__dirname, 'packages/$1/src/index.ts'),
};

function project(name, dir, extra = {}) {
  return {
    displayName: name,
    rootDir: path.join(__dirname, dir),
    testMatch: ['<rootDir>/test/**/*.test.[jt]s?(x)'],
    transform,
    moduleNameMapper,
    testEnvironment: 'node',
    ...extra,
  };
}

module.exports = {
  // jest runs one worker on a 2-core machine (cores - 1). Most of the slow suites wait on other
  // processes (workerd, Chromium, webpack builds), so a second worker overlaps them: 12 → 7.5
  // minutes on the CI's kind of machine, measured with the same load beside it.
  maxWorkers: Math.max(2, require('os').availableParallelism() - 1),
  projects: [
    project('manifest', 'packages/manifest'),
    project('compiler', 'packages/compiler'),
    project('webpack-plugin', 'packages/webpack-plugin'),
    project('edge', 'packages/edge'),
    project('client', 'packages/client'),
    project('dev', 'packages/dev'),
    project('cli', 'packages/cli'),
    project('storefront', 'examples/storefront'),
    // Checks across the packages (what npm pack ships).
    project('repo', '.', { roots: ['<rootDir>/test'], testMatch: ['<rootDir>/test/**/*.test.[jt]s?(x)'] }),
  ],
};
