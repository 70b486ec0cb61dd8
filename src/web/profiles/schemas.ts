import Type from 'typebox';
import { ABOUT_ME, USERNAME } from '../../domain/rules.ts';

export const EditProfileForm = Type.Object({
  username: USERNAME,
  about_me: Type.Optional(ABOUT_ME),
});
