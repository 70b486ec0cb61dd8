import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { parseId } from '../../domain/input.ts';
import { translatePost } from '../../domain/translate.ts';
import { apiErrorBody, HttpError } from '../../errors.ts';
import { msg } from '../../i18n/marker.ts';
import { TranslationFailed, translationService } from '../../translation/services.ts';

const TranslateBody = Type.Object({
  post_id: Type.String({ maxLength: 12 }),
  dest_language: Type.String({ pattern: '^[a-z]{2}$' }),
});

/**
 * `POST /translate` (JSON, CSRF-checked like every form): a post's text in the reader's
 * language, `{"text": …}`, through Microsoft Translator or LibreTranslate, as configured.
 * A service that fails is a 502 whose message the page shows in place of the link.
 */
export async function translateRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const service = translationService(app.config.translation);

  app.post('/translate', { schema: { body: TranslateBody } }, async (request, reply) => {
    const { t } = request.translator;
    const id = parseId(request.body.post_id);
    if (!service) throw new HttpError(404, msg('Translation is not available on this site.'));
    if (id === undefined) throw new HttpError(404, msg('Post not found.'));
    let text: string;
    try {
      text = await translatePost(request.em, service, id, request.body.dest_language);
    } catch (error) {
      if (!(error instanceof TranslationFailed)) throw error;
      request.log.warn({ err: error }, 'the translation service failed');
      return reply.code(502).send(apiErrorBody(502, t('Error: the translation service failed.')));
    }
    if (text === 'missing') throw new HttpError(404, msg('Post not found.'));
    if (text === 'untranslatable')
      throw new HttpError(400, msg('This post cannot be translated into that language.'));
    return { text };
  });
}
