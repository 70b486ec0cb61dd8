import Type from 'typebox';
import { saySomething, WEB_POST_MAX } from '../../domain/rules.ts';

/** 1 to 140 characters, counted as characters (code points), not bytes, as in the tutorial. */
export const PostForm = Type.Object({
  post: Type.String({
    minLength: 1,
    maxLength: WEB_POST_MAX,
    pattern: '\\S',
    errorMessage: saySomething(WEB_POST_MAX),
  }),
});
