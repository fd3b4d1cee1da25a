// autocannon ships no types; bench/users/load.ts reads only the fields it declares.
declare module 'autocannon';
