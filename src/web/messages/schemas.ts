import Type from 'typebox';
import { MESSAGE_MAX, saySomething } from '../../domain/rules.ts';

/** 1 to 140 characters, counted as characters (code points), as in the Flask Microblog. */
export const MessageForm = Type.Object({
  message: Type.String({
    minLength: 1,
    maxLength: MESSAGE_MAX,
    pattern: '\\S',
    errorMessage: saySomething(MESSAGE_MAX),
  }),
});
