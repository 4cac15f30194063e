/** `npm start`: the main job on built-in defaults. */
console.log('depthlimit: nothing to run yet');
