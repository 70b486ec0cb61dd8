import Type from 'typebox';
import { MESSAGE_MAX } from '../../domain/rules.ts';

/** 1 to 140 characters, counted as characters (code points), as in the Flask Microblog. */
export const MessageForm = Type.Object({
  message: Type.String({
    minLength: 1,
    maxLength: MESSAGE_MAX,
    pattern: '\\S',
    errorMessage: `Say something in 1 to ${MESSAGE_MAX} characters.`,
  }),
});
