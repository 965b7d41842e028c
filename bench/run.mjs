// Entry point of `npm run bench`. Scenarios arrive with the features they measure.
console.log('No benchmark scenarios yet.')
