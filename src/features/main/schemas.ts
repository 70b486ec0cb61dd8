import Type from 'typebox';

/** 1 to 140 characters, counted as characters (code points), not bytes. */
export const PostForm = Type.Object({
  post: Type.String({
    minLength: 1,
    maxLength: 140,
    pattern: '\\S',
    errorMessage: 'Say something in 1 to 140 characters.',
  }),
});
