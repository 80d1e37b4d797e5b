const { createJestConfig } = require('../../jest.config.base.js');

module.exports = createJestConfig(__dirname);
