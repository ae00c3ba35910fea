/**
 * Jest runs every *.test.ts under the project. @swc/jest turns the ESM TypeScript
 * sources into CommonJS for Jest only; in development Node 24 runs the .ts files
 * with type stripping, and containers run what `npm run build` compiles to dist/.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json', 'cjs'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/var/', '<rootDir>/bench/out/'],
  modulePathIgnorePatterns: ['<rootDir>/var/'],
  globalSetup: '<rootDir>/test-support/global-setup.cjs',
  reporters: ['default', '<rootDir>/test-support/services-reporter.cjs'],
  testTimeout: 20000,
  maxWorkers: 2,
};
